package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.Language
import br.app.a2feproc.core.languageForLocale
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.setLanguage
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class LanguageTest {
    @AfterTest
    fun backToTheDefault() = setLanguage(Language.PT_BR)

    @Test
    fun localesMapToTheCoreLanguages() {
        for (tag in listOf("pt-BR", "pt_BR.UTF-8", "pt", "pt-PT")) {
            assertEquals(Language.PT_BR, languageForLocale(tag), tag)
        }
        for (tag in listOf("en-US", "es-ES", "C", "")) {
            assertEquals(Language.EN, languageForLocale(tag), tag)
        }
    }

    @Test
    fun messagesFollowTheLanguageAndCodesDoNot() {
        setLanguage(Language.EN)
        val english = assertFailsWith<A2fException.InvalidInput> { parseImport(" ") }
        val englishWarning = parseImport("JBSWY3DPEHPK3PXP").single().warnings.single()
        setLanguage(Language.PT_BR)
        val portuguese = assertFailsWith<A2fException.InvalidInput> { parseImport(" ") }
        val portugueseWarning = parseImport("JBSWY3DPEHPK3PXP").single().warnings.single()

        assertEquals("empty_input", english.code)
        assertEquals(english.code, portuguese.code)
        assertEquals("The input is empty.", english.detail)
        assertEquals("A entrada está vazia.", portuguese.detail)
        assertEquals(englishWarning.code, portugueseWarning.code)
        assertEquals("A chave tem só 80 bits; o recomendado são pelo menos 128.", portugueseWarning.message)
        assertEquals("The key has only 80 bits; at least 128 are recommended.", englishWarning.message)
    }
}
