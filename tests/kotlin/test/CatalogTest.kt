package br.app.a2feproc.core.tests

import br.app.a2feproc.core.catalog
import br.app.a2feproc.core.suggestSystems
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class CatalogTest {
    private val trf4Group = listOf("trf4", "jfpr", "jfsc", "jfrs")

    @Test
    fun catalogCarriesTheSeedTable() {
        val systems = catalog()
        assertEquals(22, systems.size)
        assertEquals(systems.size, systems.map { it.id }.toSet().size, "ids are unique")
        assertTrue(systems.all { it.url.startsWith("https://") })
        assertEquals(listOf("tjsc-1g", "tjsc-2g", "tnu"), systems.filter { !it.mandatory }.map { it.id })
        assertEquals(trf4Group, systems.filter { it.sharedKeyGroup == "trf4" }.map { it.id })

        val tjto2 = systems.single { it.id == "tjto-2g" }
        assertEquals("TJTO - 2º Grau", tjto2.name, "non-ASCII text crosses the boundary intact")
        assertEquals("TO", tjto2.court)
        assertEquals(2.toUByte(), tjto2.instance)
        assertEquals("https://eproc2.tjto.jus.br/eprocV2_prod_2grau/", tjto2.url)
        assertEquals(null, systems.single { it.id == "tnu" }.instance)
        assertEquals(1.toUByte(), systems.single { it.id == "trf6-1g" }.instance)
    }

    @Test
    fun suggestionsNameCatalogIds() {
        assertEquals(trf4Group, suggestSystems("eproc JFSC"))
        assertEquals(listOf("tjrs-1g"), suggestSystems("TJRS - 1º Grau"))
        assertEquals(listOf("tjrs-1g", "tjrs-2g"), suggestSystems("eproc TJRS"))
        assertEquals(listOf("tjto-2g"), suggestSystems("https://eproc2.tjto.jus.br/eprocV2_prod_2grau/"))
        assertEquals(emptyList(), suggestSystems("GitHub"))
        assertEquals(emptyList(), suggestSystems(""))
        val ids = catalog().map { it.id }.toSet()
        assertTrue(suggestSystems("TRF2 TRF6 TNU").all { it in ids })
    }
}
