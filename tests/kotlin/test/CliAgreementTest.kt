package br.app.a2feproc.core.tests

import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import java.util.Random
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The apps and the desktop CLI run the same core, so a key given in Kotlin must show the
 * same codes and the same description through the FFI as through `eproc-a2f decode`.
 * scripts/kotlin-tests passes the CLI's path in the `eproc.cli` system property.
 */
class CliAgreementTest {
    private val cli = System.getProperty("eproc.cli")
        ?: error("set -Deproc.cli=PATH to the eproc-a2f binary (scripts/kotlin-tests does)")

    /** `eproc-a2f decode - --at TIME --json` with the key on stdin, never in argv. */
    private fun decode(input: String, at: Long): String {
        val process = ProcessBuilder(cli, "decode", "-", "--at", at.toString(), "--json")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        process.outputStream.use { it.write(input.toByteArray()) }
        val out = process.inputStream.bufferedReader().readText()
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the CLI did not finish")
        assertEquals(0, process.exitValue(), out)
        return out
    }

    /** One scalar field of the CLI's single decoded item: a quoted string, a number or null. */
    private fun field(json: String, name: String): String? {
        val match = Regex("\"$name\": (\"([^\"]*)\"|[0-9]+|null)").find(json)
            ?: error("no $name in $json")
        return match.groupValues[2].ifEmpty { match.groupValues[1].takeIf { it != "null" } }
    }

    private fun systems(json: String): List<String> =
        Regex("\"systems\": \\[([^\\]]*)]").find(json)!!.groupValues[1]
            .split(',').map { it.trim().trim('"') }.filter { it.isNotEmpty() }

    @Test
    fun sameCodesAndDescriptionAsTheCli() {
        val random = Random(4226)
        val issuers = listOf("eproc TRF4", "TJRS - 2º Grau", "eproc1g.tjsp.jus.br", "Outro")
        val algorithms = listOf("SHA1", "SHA256", "SHA512")
        repeat(12) { i ->
            // 16 bytes or more: no short-key warning, so the item's "code" is the only one.
            val key = ByteArray(16 + random.nextInt(49)).also(random::nextBytes)
            val algorithm = algorithms[i % algorithms.size]
            val digits = 6 + random.nextInt(3)
            val period = listOf(30, 60)[random.nextInt(2)]
            val issuer = issuers[i % issuers.size]
            val time = random.nextLong() ushr 31
            val uri = "otpauth://totp/${issuer.replace(" ", "%20")}:oab12345?secret=${Reference.base32(key)}" +
                "&algorithm=$algorithm&digits=$digits&period=$period"
            val json = decode(uri, time)
            val view = previewCode(uri, time).single()
            val preview = parseImport(uri).single()
            val case = "$algorithm/$digits/$period at $time"

            assertEquals(field(json, "code"), view.code, case)
            assertEquals(field(json, "next"), view.next, case)
            assertEquals(field(json, "valid_for"), view.validFor?.toString(), case)
            assertEquals(field(json, "issuer"), preview.issuer, case)
            assertEquals(field(json, "account"), preview.account, case)
            assertEquals(field(json, "algorithm"), preview.algorithm.name, case)
            assertEquals(field(json, "digits"), preview.digits.toString(), case)
            assertEquals(field(json, "period"), preview.period?.toString(), case)
            assertEquals(systems(json), preview.suggestedSystems, case)
        }
    }
}
