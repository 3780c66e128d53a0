package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.AddOutcome
import br.app.a2feproc.core.ExportContents
import br.app.a2feproc.core.ExportFormat
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import br.app.a2feproc.core.readImportImage
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Keys going out: the console key, plaintext exports for other apps, backups. */
class ExportsTest {
    private val tmp = TempDir()
    private val vault = Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF)
    private val seed20 = "12345678901234567890".toByteArray()
    private val seed32 = "12345678901234567890123456789012".toByteArray()
    private val trf4Group = listOf("trf4", "jfpr", "jfsc", "jfrs")
    private val times = listOf(59L, 1_111_111_109L, 2_000_000_000L)

    @AfterTest
    fun cleanUp() {
        vault.close()
        tmp.close()
    }

    private fun add(text: String, systems: List<String>): Long = readImport(text).use { import ->
        assertIs<AddOutcome.Added>(vault.addFromImport(import, 0u, systems, null, null)).id
    }

    /** The codes of every live entry at a few times, in list order: what must survive a round trip. */
    private fun Vault.allCodes(): List<List<String?>> = times.map { at -> codes(at, null).map { it.code } }

    /** An eproc key, a SHA256 key Google Authenticator cannot take, an HOTP key; and one in the trash. */
    private fun fill(): List<Long> {
        val eproc = add("otpauth://totp/eproc%20TRF4:12345678900?secret=${Reference.base32(seed20)}&issuer=eproc%20TRF4", listOf("trf4"))
        val sha256 = add("otpauth://totp/TJRS:oab?secret=${Reference.base32(seed32)}&algorithm=SHA256&digits=8", listOf("tjrs-1g"))
        val hotp = add("otpauth://hotp/Teste:x?secret=${Reference.base32(seed32.copyOf(20).reversedArray())}&counter=7", emptyList())
        vault.delete(add(Reference.uri(ByteArray(20) { 9 }), emptyList()))
        return listOf(eproc, sha256, hotp)
    }

    private fun freshVault(block: (Vault) -> Unit) = TempDir().use { dir ->
        Vault.createWithPassphrase(dir.path(), PASSPHRASE, QUICK_KDF).use(block)
    }

    @Test
    fun theConsoleKeyAsEprocShowsIt() {
        // Typed as people copy it from eproc's page: lower case, in groups.
        val id = add("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", listOf("jfsc"))
        assertFalse(vault.status().any { it.exported })
        val key = vault.exportConsoleKey(id)
        assertEquals(Reference.base32(seed20), key.raw)
        assertEquals("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", key.grouped)
        assertTrue(key.uri.startsWith("otpauth://totp/"))
        val expected = Reference.totp(seed20, 1_700_000_000, 30, "SHA1", 6)
        assertEquals(expected, readImport(key.uri).use { it.codes(1_700_000_000).single()?.code })
        // The picture for the console to scan holds the same URI.
        val png = assertNotNull(key.qrPng)
        readImportImage(png).use { assertEquals(expected, it.codes(1_700_000_000).single()?.code) }

        val status = vault.status()
        assertEquals(trf4Group, status.filter { it.exported }.map { it.system }, "the console has the TRF4 group's key")
        val entry = vault.entry(id)
        assertFalse(entry.exportAgain)

        // Re-enrolled at eproc: the console needs the new key. Dates are whole seconds,
        // and a key changed in the second of its export counts as exported.
        val exportedAt = assertNotNull(entry.exportedAt)
        while (System.currentTimeMillis() / 1000 <= exportedAt) Thread.sleep(50)
        readImport(Reference.uri(seed32.copyOf(20))).use { vault.replaceKey(id, it, 0u) }
        assertTrue(vault.entry(id).exportAgain)
        assertFalse(vault.status().any { it.exported })
        assertEquals(Reference.base32(seed32.copyOf(20)), vault.exportConsoleKey(id).raw)
        assertFalse(vault.entry(id).exportAgain)
    }

    @Test
    fun aLongNameLeavesTheKeyWithoutAPicture() {
        val id = add(Reference.base32(seed20), emptyList())
        vault.rename(id, "escritório ".repeat(300))
        val key = vault.exportConsoleKey(id)
        assertNull(key.qrPng)
        assertEquals(Reference.base32(seed20), key.raw)
    }

    @Test
    fun theConsoleKeyOnlyOfALiveEntryOfAnUnlockedVault() {
        val id = add(Reference.uri(seed20), emptyList())
        vault.delete(id)
        assertEquals("entry_in_trash", assertFailsWith<A2fException.InvalidInput> { vault.exportConsoleKey(id) }.code)
        assertEquals("entry_not_found", assertFailsWith<A2fException.NotFound> { vault.exportConsoleKey(id + 1) }.code)
        vault.lock()
        assertEquals("locked", assertFailsWith<A2fException.Auth> { vault.exportConsoleKey(id) }.code)
        assertEquals("locked", assertFailsWith<A2fException.Auth> { vault.exportPlaintext(ExportFormat.URIS) }.code)
        assertEquals("locked", assertFailsWith<A2fException.Auth> { vault.createBackup("b", QUICK_KDF) }.code)
    }

    @Test
    fun textExportsReadBackWithTheSameCodes() {
        fill()
        val want = vault.allCodes()
        for (format in listOf(ExportFormat.URIS, ExportFormat.AEGIS)) {
            val export = vault.exportPlaintext(format)
            assertEquals(3.toULong(), export.exported, "live entries only")
            assertEquals(emptyList(), export.skipped)
            assertEquals(emptyList(), export.damaged)
            val text = assertIs<ExportContents.File>(export.contents).text
            freshVault { copy ->
                val report = readImport(text).use { copy.importAll(it, false) }
                assertEquals(3, report.added.size, "$format")
                assertEquals(want, copy.allCodes(), "$format")
                assertEquals(listOf(trf4Group, listOf("tjrs-1g", "tjrs-2g"), emptyList()), copy.list(false).map { it.systems })
            }
        }
        assertTrue(assertIs<ExportContents.File>(vault.exportPlaintext(ExportFormat.AEGIS).contents).text.trimStart().startsWith("{"))
    }

    @Test
    fun aGoogleExportLeavesOutWhatGoogleCannotTake() {
        val (eproc, sha256, hotp) = fill()
        val export = vault.exportPlaintext(ExportFormat.GOOGLE)
        assertEquals(2.toULong(), export.exported)
        val skipped = export.skipped.single()
        assertEquals(sha256, skipped.id)
        assertEquals("google_incompatible", skipped.error.code)
        val code = assertIs<ExportContents.TransferCodes>(export.contents).codes.single()
        assertTrue(code.uri.startsWith("otpauth-migration://offline?data="))
        freshVault { copy ->
            // Read from the picture, as Google Authenticator would.
            readImportImage(code.png).use { import ->
                readImport(code.uri).use { assertEquals(it.items(), import.items()) }
                assertEquals(2, copy.importAll(import, false).added.size)
            }
            val original = vault.codes(1_700_000_000, null).filter { it.id == eproc || it.id == hotp }
            assertEquals(original.map { it.code }, copy.codes(1_700_000_000, null).map { it.code })
        }
    }

    @Test
    fun anEmptyVaultExportsNothing() {
        assertEquals(emptyList(), assertIs<ExportContents.TransferCodes>(vault.exportPlaintext(ExportFormat.GOOGLE).contents).codes)
        assertEquals("", assertIs<ExportContents.File>(vault.exportPlaintext(ExportFormat.URIS).contents).text)
    }

    @Test
    fun aBackupRestoresIntoANewVaultWithTheSameCodes() {
        fill()
        val backup = vault.createBackup("senha do backup", QUICK_KDF)
        assertEquals(4.toULong(), backup.entries, "live and trashed")
        assertEquals(emptyList(), backup.damaged)
        assertFalse(backup.bytes.decodeToString().contains(Reference.base32(seed20)))
        freshVault { copy ->
            val report = copy.restoreBackup(backup.bytes, "senha do backup", false)
            assertEquals(4, report.added.size)
            assertEquals(emptyList(), report.duplicates)
            assertEquals(vault.allCodes(), copy.allCodes())
            assertEquals(vault.list(false).map { it.label to it.systems }, copy.list(false).map { it.label to it.systems })
            assertEquals(1, copy.list(true).size, "the trash comes back too")

            // Again, replacing: every key is there already.
            val again = copy.restoreBackup(backup.bytes, "senha do backup", true)
            assertEquals(emptyList(), again.added)
            assertEquals((0u until 4u).toList(), again.duplicates.map { it.index })
            assertEquals(report.added, again.duplicates.map { it.id })
        }
    }

    @Test
    fun aWrongPassphraseOrADamagedBackupChangesNothing() {
        fill()
        val backup = vault.createBackup("senha do backup", QUICK_KDF)
        freshVault { copy ->
            val wrong = assertFailsWith<A2fException.Auth> { copy.restoreBackup(backup.bytes, "outra senha", false) }
            assertEquals("wrong_passphrase", wrong.code)
            for (at in listOf(backup.bytes.size / 2, backup.bytes.size - 1)) {
                val flipped = backup.bytes.copyOf()
                flipped[at] = (flipped[at].toInt() xor 0x01).toByte()
                val damaged = assertFailsWith<A2fException.Damaged> { copy.restoreBackup(flipped, "senha do backup", false) }
                assertEquals("backup_damaged", damaged.code, "byte $at")
            }
            val truncated = assertFailsWith<A2fException.Damaged> {
                copy.restoreBackup(backup.bytes.copyOf(40), "senha do backup", false)
            }
            assertEquals("backup_damaged", truncated.code)
            val notBackup = assertFailsWith<A2fException.InvalidInput> {
                copy.restoreBackup(fixture("uris.txt").readBytes(), "senha do backup", false)
            }
            assertEquals("not_a_backup", notBackup.code)
            assertEquals(emptyList(), copy.list(false))
            assertEquals(emptyList(), copy.list(true))
        }
        // Each backup has its own salt and nonce.
        val second = vault.createBackup("senha do backup", QUICK_KDF)
        assertNotEquals(backup.bytes.toList(), second.bytes.toList())
        assertContentEquals(backup.bytes.copyOf(8), second.bytes.copyOf(8))
    }
}
