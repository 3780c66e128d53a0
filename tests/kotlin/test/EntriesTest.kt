package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.AddOutcome
import br.app.a2feproc.core.OtpAlgorithm
import br.app.a2feproc.core.OtpType
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import java.io.File
import java.util.Random
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class EntriesTest {
    private val tmp = TempDir()
    private val vault = Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF)
    private val trf4Group = listOf("trf4", "jfpr", "jfsc", "jfrs")
    private val seed20 = "12345678901234567890".toByteArray()

    @AfterTest
    fun cleanUp() {
        vault.close()
        tmp.close()
    }

    private fun randomKey(seed: Long) = ByteArray(20).also(Random(seed)::nextBytes)

    /** Adds the key of a one-key text as the add-key screen does; returns the new id. */
    private fun add(text: String, systems: List<String>, login: String? = null, label: String? = null): Long =
        readImport(text).use { import ->
            val outcome = vault.addFromImport(import, 0u, systems, login, label)
            assertIs<AddOutcome.Added>(outcome).id
        }

    @Test
    fun previewThenConfirm() {
        val uri = "otpauth://totp/eproc%20JFSC:12345678900?secret=${Reference.base32(seed20)}&issuer=eproc%20JFSC"
        readImport(uri).use { import ->
            val item = import.items().single()
            assertNull(item.place, "a single key has no place in its input")
            assertNull(item.error)
            val preview = assertNotNull(item.preview)
            assertEquals("eproc JFSC", preview.issuer)
            assertEquals("12345678900", preview.account)
            assertEquals(trf4Group, preview.suggestedSystems)
            val code = assertNotNull(import.codes(1_111_111_109).single())
            assertEquals(Reference.totp(seed20, 1_111_111_109, 30, "SHA1", 6), code.code)
            assertEquals(1.toUInt(), code.validFor)
            assertFalse(import.toString().contains(Reference.base32(seed20)))

            // The user confirms JFSC only, keeps the login, names it.
            val added = vault.addFromImport(import, 0u, listOf("jfsc"), preview.account, "JFSC escritório")
            val id = assertIs<AddOutcome.Added>(added).id
            val entry = vault.entry(id)
            assertEquals(trf4Group, entry.systems, "one registration serves the whole TRF4 group")
            assertEquals("JFSC escritório", entry.label)
            assertEquals("eproc JFSC", entry.issuer)
            assertEquals("12345678900", entry.login)
            assertEquals(OtpType.TOTP, entry.kind)
            assertEquals(OtpAlgorithm.SHA1, entry.algorithm)
            assertEquals(6.toUByte(), entry.digits)
            assertEquals(30.toUInt(), entry.period)
            assertNull(entry.exportedAt)
            assertFalse(entry.exportAgain)
            assertNull(entry.deletedAt)
            assertNull(entry.error)
            assertEquals(entry.createdAt, entry.keyChangedAt)

            val codes = vault.codes(1_111_111_109, null).single()
            assertEquals(id, codes.id)
            assertEquals(code.code, codes.code)
            assertEquals(code.next, codes.next)
            assertEquals(1.toUInt(), codes.validFor)
            assertEquals("JFSC escritório", codes.label)
            assertEquals("12345678900", codes.login)
            assertEquals(trf4Group, codes.systems)
            assertNull(codes.error)

            // The same key again is found, not stored twice.
            assertEquals(AddOutcome.Duplicate(id, false), vault.addFromImport(import, 0u, emptyList(), null, null))
        }
    }

    @Test
    fun addingNeedsAReadableItem() {
        val text = "otpauth://totp/x?digits=6\notpauth://totp/y?secret=${Reference.base32(seed20)}"
        readImport(text).use { import ->
            val bad = assertFailsWith<A2fException.InvalidInput> { vault.addFromImport(import, 0u, emptyList(), null, null) }
            assertEquals("missing_secret", bad.code)
            val missing = assertFailsWith<A2fException.NotFound> { vault.addFromImport(import, 2u, emptyList(), null, null) }
            assertEquals("import_item_not_found", missing.code)
            val unknown = assertFailsWith<A2fException.InvalidInput> { vault.addFromImport(import, 1u, listOf("trf9"), null, null) }
            assertEquals("unknown_system", unknown.code)
            assertEquals(emptyList(), vault.list(false))
        }
        assertEquals("empty_input", assertFailsWith<A2fException.InvalidInput> { readImport("  ") }.code)
    }

    @Test
    fun importAllSaysWhatBecameOfEachItem() {
        val first = add(Reference.uri(randomKey(1)), emptyList())
        val text = listOf(
            "otpauth://totp/eproc%20TJRS:oab123?secret=${Reference.base32(randomKey(2))}",
            "otpauth://totp/x?secret=${Reference.base32(randomKey(3))}&digits=9",
            Reference.uri(randomKey(1)),
        ).joinToString("\n")
        readImport(text).use { import ->
            val items = import.items()
            assertEquals(3, items.size)
            assertEquals("invalid_digits", items[1].error?.code)
            assertNull(import.codes(0)[1])

            val dry = vault.importAll(import, true)
            assertEquals(1, dry.added.size)
            assertEquals(1, vault.list(false).size, "a dry run stores nothing")

            val report = vault.importAll(import, false)
            val added = report.added.single()
            assertEquals(1.toUInt(), report.invalid.single().index)
            assertEquals("invalid_digits", report.invalid.single().error.code)
            assertEquals(items[1].place, report.invalid.single().place)
            val duplicate = report.duplicates.single()
            assertEquals(2.toUInt(), duplicate.index)
            assertEquals(first, duplicate.id)
            assertFalse(duplicate.inTrash)

            val entry = vault.entry(added)
            assertEquals("oab123", entry.login, "the account becomes the login")
            assertEquals(listOf("tjrs-1g", "tjrs-2g"), entry.systems, "the suggested systems")
            assertEquals("eproc TJRS", entry.label)
        }
    }

    @Test
    fun aGoogleTransferInPart() {
        val fixtures = System.getProperty("eproc.fixtures") ?: error("set -Deproc.fixtures=DIR")
        readImport(File(fixtures, "google-migration-1-of-2.txt").readText()).use { import ->
            val transfer = import.incompleteTransfers().single()
            assertEquals(2.toUInt(), transfer.batchSize)
            assertEquals(listOf(2.toUInt()), transfer.missing)
            assertTrue(transfer.message.contains("2"))
            assertEquals(3, import.items().count { it.place != null })

            // Its SHA1 TOTP and its HOTP account share RFC 4226's seed: one key, stored once.
            val report = vault.importAll(import, false)
            assertEquals(2, report.added.size)
            val duplicate = report.duplicates.single()
            assertEquals(2.toUInt(), duplicate.index)
            assertEquals(report.added.first(), duplicate.id)
            assertEquals(listOf("eproc TRF4", "TJRS"), vault.list(false).map { it.label })
        }
    }

    @Test
    fun anHotpCounterMovesOn() {
        // RFC 4226's key at counter 7: codes for 7 and 8, then 8 and 9.
        val id = add("otpauth://hotp/Teste:x?secret=${Reference.base32(seed20)}&counter=7", emptyList())
        val entry = vault.entry(id)
        assertEquals(OtpType.HOTP, entry.kind)
        assertNull(entry.period)
        val stored = vault.codes(0, null).single()
        assertEquals(listOf("162583", "399871"), listOf(stored.code, stored.next))
        assertNull(stored.validFor)
        val next = vault.nextHotp(id)
        assertEquals(listOf("399871", "520489"), listOf(next.code, next.next))
        assertEquals("399871", vault.codes(0, null).single().code)
        val totp = add(Reference.uri(randomKey(8)), emptyList())
        assertEquals("not_hotp", assertFailsWith<A2fException.InvalidInput> { vault.nextHotp(totp) }.code)
    }

    @Test
    fun anEntryIsEditedTrashedAndPurged() {
        val id = add(Reference.uri(randomKey(4)), listOf("tjrs-1g"), login = "oab1")
        vault.rename(id, "TJRS 1º grau")
        vault.setLogin(id, "oab2")
        vault.link(id, listOf("jfrs", "tjsc-2g"))
        assertEquals(listOf("tjrs-1g", "tjsc-2g") + trf4Group, vault.entry(id).systems)
        vault.unlink(id, listOf("jfrs", "tjrs-1g"))
        assertEquals(listOf("tjsc-2g", "trf4", "jfpr", "jfsc"), vault.entry(id).systems)
        var entry = vault.entry(id)
        assertEquals("TJRS 1º grau", entry.label)
        assertEquals("oab2", entry.login)
        vault.setLogin(id, null)
        assertNull(vault.entry(id).login)
        assertEquals("empty_input", assertFailsWith<A2fException.InvalidInput> { vault.rename(id, " ") }.code)

        // Re-enrolment at eproc: the new key replaces the old, the rest stays.
        val newKey = randomKey(5)
        readImport(Reference.uri(newKey, "SHA256", 8, 60)).use { vault.replaceKey(id, it, 0u) }
        entry = vault.entry(id)
        assertEquals(OtpAlgorithm.SHA256, entry.algorithm)
        assertEquals("TJRS 1º grau", entry.label)
        assertTrue(entry.keyChangedAt >= entry.createdAt)
        assertEquals(Reference.totp(newKey, 2_000_000_000, 60, "SHA256", 8), vault.codes(2_000_000_000, null).single().code)

        vault.delete(id)
        assertEquals(emptyList(), vault.list(false))
        assertEquals(emptyList(), vault.codes(0, null))
        val trashed = vault.list(true).single()
        assertEquals(id, trashed.id)
        assertNotNull(trashed.deletedAt)
        assertEquals("entry_in_trash", assertFailsWith<A2fException.InvalidInput> { vault.rename(id, "x") }.code)
        vault.restore(id)
        assertEquals(id, vault.list(false).single().id)
        assertEquals("entry_not_in_trash", assertFailsWith<A2fException.InvalidInput> { vault.purge(id) }.code)
        vault.delete(id)
        vault.purge(id)
        assertEquals(emptyList(), vault.list(true))
        assertEquals("entry_not_found", assertFailsWith<A2fException.NotFound> { vault.entry(id) }.code)
        assertEquals("entry_not_found", assertFailsWith<A2fException.NotFound> { vault.restore(0) }.code)
    }

    @Test
    fun statusAndCodesPerTribunal() {
        val trf4 = add(Reference.uri(randomKey(6)), listOf("trf4"))
        val tjrs = add(Reference.uri(randomKey(7)), listOf("tjrs-2g"))
        val status = vault.status()
        assertEquals(22, status.size)
        assertEquals(listOf(trf4), status.single { it.system == "jfpr" }.entries)
        assertEquals(listOf(tjrs), status.single { it.system == "tjrs-2g" }.entries)
        assertEquals(emptyList(), status.single { it.system == "tjrs-1g" }.entries)
        val tnu = status.single { it.system == "tnu" }
        assertFalse(tnu.mandatory)
        assertEquals("TNU", tnu.name)
        assertFalse(status.any { it.exported })

        assertEquals(listOf(trf4), vault.codes(0, "jfsc").map { it.id })
        assertEquals(listOf(tjrs), vault.codes(0, "tjrs-2g").map { it.id })
        assertEquals(listOf(trf4, tjrs), vault.codes(0, null).map { it.id })
        assertEquals("unknown_system", assertFailsWith<A2fException.InvalidInput> { vault.codes(0, "trf9") }.code)
        assertEquals("time_out_of_range", assertFailsWith<A2fException.InvalidInput> { vault.codes(-1, null) }.code)

        val verified = vault.verify()
        assertEquals(2.toULong(), verified.entries)
        assertEquals(emptyList(), verified.damaged)
    }
}
