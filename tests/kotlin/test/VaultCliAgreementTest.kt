package br.app.a2feproc.core.tests

import br.app.a2feproc.core.AddOutcome
import br.app.a2feproc.core.EntryCodes
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import java.util.Random
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * The phone and the desktop share vault files and the core: a vault the CLI created, with
 * keys given in Kotlin, must show the same codes through `Vault.codes` as through
 * `eproc-a2f codes --json`. scripts/kotlin-tests passes the CLI's path in `eproc.cli`.
 */
class VaultCliAgreementTest {
    private val cli = System.getProperty("eproc.cli")
        ?: error("set -Deproc.cli=PATH to the eproc-a2f binary (scripts/kotlin-tests does)")

    /** Runs the CLI on `vault` with the passphrase in its environment and `input` on stdin. */
    private fun run(vault: String, vararg args: String, input: String = ""): String {
        val process = ProcessBuilder(cli, "--vault", vault, "--json", *args)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .apply { environment()["EPROC_A2F_PASSPHRASE"] = PASSPHRASE }
            .start()
        process.outputStream.use { it.write(input.toByteArray()) }
        val out = process.inputStream.bufferedReader().readText()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish")
        assertEquals(0, process.exitValue(), out)
        return out
    }

    /** A string, number or null field of one flat JSON object. */
    private fun field(json: String, name: String): String? {
        val match = Regex("\"$name\": (\"([^\"]*)\"|[0-9]+|null)").find(json) ?: error("no $name in $json")
        return match.groupValues[2].ifEmpty { match.groupValues[1].takeIf { it != "null" } }
    }

    private fun strings(json: String, name: String): List<String> =
        Regex("\"$name\": \\[([^\\]]*)]").find(json)!!.groupValues[1]
            .split(',').map { it.trim().trim('"') }.filter { it.isNotEmpty() }

    private fun assertSame(cliEntry: String, ffi: EntryCodes, case: String) {
        assertEquals(field(cliEntry, "id"), ffi.id.toString(), case)
        assertEquals(field(cliEntry, "label"), ffi.label, case)
        assertEquals(field(cliEntry, "login"), ffi.login, case)
        assertEquals(strings(cliEntry, "systems"), ffi.systems, case)
        assertEquals(field(cliEntry, "code"), ffi.code, case)
        assertEquals(field(cliEntry, "next"), ffi.next, case)
        assertEquals(field(cliEntry, "valid_for"), ffi.validFor?.toString(), case)
        assertEquals(field(cliEntry, "error"), null, case)
    }

    @Test
    fun keysGivenInKotlinShowTheCliCodes() = TempDir().use { tmp ->
        val path = tmp.path()
        run(path, "init", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
        // One key the CLI stored, read from stdin so that it stays out of argv.
        val cliKey = ByteArray(20).also(Random(1)::nextBytes)
        run(path, "add", "-", "--system", "jfpr", "--login", "oab1", input = Reference.uri(cliKey))

        val random = Random(6238)
        val algorithms = listOf("SHA1", "SHA256", "SHA512")
        Vault.open(path).use { vault ->
            vault.unlockWithPassphrase(PASSPHRASE)
            repeat(9) { i ->
                val key = ByteArray(16 + random.nextInt(49)).also(random::nextBytes)
                val uri = "otpauth://totp/Teste:conta$i?secret=${Reference.base32(key)}" +
                    "&algorithm=${algorithms[i % 3]}&digits=${6 + random.nextInt(3)}&period=${listOf(30, 60)[i % 2]}"
                readImport(uri).use { import ->
                    val systems = listOf(listOf("tjrs-1g"), listOf("trf4"), emptyList())[i % 3]
                    assertIs<AddOutcome.Added>(vault.addFromImport(import, 0u, systems, "login$i", "Chave $i"))
                }
            }
            readImport("otpauth://hotp/x?secret=${Reference.base32(cliKey.reversedArray())}&counter=41").use {
                vault.addFromImport(it, 0u, emptyList(), null, null)
            }

            repeat(6) {
                val at = random.nextLong() ushr 31
                val json = run(path, "codes", "--at", at.toString())
                val cliEntries = Regex("\\{[^{}]*\\}").findAll(json.substringAfter("\"entries\"")).map { it.value }.toList()
                val ffiEntries = vault.codes(at, null)
                assertEquals(11, ffiEntries.size)
                assertEquals(cliEntries.size, ffiEntries.size, json)
                cliEntries.zip(ffiEntries).forEach { (c, f) -> assertSame(c, f, "entry ${f.id} at $at") }

                val jfpr = run(path, "codes", "--at", at.toString(), "--system", "jfpr")
                val cliJfpr = Regex("\\{[^{}]*\\}").findAll(jfpr.substringAfter("\"entries\"")).map { it.value }.toList()
                val ffiJfpr = vault.codes(at, "jfpr")
                assertEquals(cliJfpr.size, ffiJfpr.size)
                cliJfpr.zip(ffiJfpr).forEach { (c, f) -> assertSame(c, f, "jfpr: entry ${f.id} at $at") }
            }
            // The key the CLI stored, checked against the JVM's own TOTP.
            assertEquals(Reference.totp(cliKey, 59, 30, "SHA1", 6), vault.codes(59, null).first().code)
        }
    }
}
