package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.ExportContents
import br.app.a2feproc.core.ExportFormat
import br.app.a2feproc.core.ScanSession
import br.app.a2feproc.core.ScanState
import br.app.a2feproc.core.ScanStep
import br.app.a2feproc.core.TransferScan
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import java.util.Random
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The camera screen: codes read one after another into one `ScanSession`. */
class ScanTest {
    private val tmp = TempDir()
    private val vault = Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF)
    private val partOne = fixture("google-migration-1-of-2.txt").readText()
    private val partTwo = fixture("google-migration-2-of-2.txt").readText()

    @AfterTest
    fun cleanUp() {
        vault.close()
        tmp.close()
    }

    private fun ScanSession.scan(frame: Frame): ScanState =
        scanFrame(frame.width.toUInt(), frame.height.toUInt(), frame.rowStride.toUInt(), frame.bytes)

    @Test
    fun aTwoPartTransferInAnyOrder() = ScanSession().use { session ->
        val second = session.scanText(partTwo)
        assertEquals(ScanStep.Read, second.step)
        assertEquals(TransferScan(batchSize = 2u, missing = listOf(1u)), second.transfer)
        assertEquals(2u, second.items)
        assertFalse(second.complete)
        assertEquals(ScanStep.AlreadyRead, session.scanText(partTwo).step, "a repeat is ignored")

        // A code of another export is refused with the core's error; the session keeps its own.
        val other = session.scanText(fixture("google-transfer.txt").readText())
        assertEquals("migration_batch_mismatch", assertIs<ScanStep.Refused>(other.step).error.code)
        assertTrue(assertIs<ScanStep.Refused>(other.step).error.message.isNotBlank())
        assertEquals(2u, other.items)
        val link = session.scanText("https://eproc.trf4.jus.br/")
        assertEquals("unsupported_scheme", assertIs<ScanStep.NotAKey>(link.step).error.code)

        val first = session.scanText(partOne)
        assertEquals(ScanStep.Read, first.step)
        assertEquals(emptyList(), first.transfer?.missing)
        assertEquals(5u, first.items)
        assertTrue(first.complete)

        session.finish().use { import ->
            val items = import.items()
            // Export order, whichever part came first.
            assertEquals(listOf("eproc TRF4", "TJRS", null, "JFSC"), items.take(4).map { it.preview?.issuer })
            assertEquals("unsupported_algorithm", items[4].error?.code)
            assertEquals(emptyList(), import.incompleteTransfers())
            val report = vault.importAll(import, false)
            // The first part's HOTP account has its TOTP account's key.
            assertEquals(3, report.added.size)
            assertEquals(1, report.duplicates.size)
            assertEquals(listOf(4u), report.invalid.map { it.index })
            assertEquals(emptyList(), report.transfers)
        }
        // Finished: the session starts afresh.
        val none = assertFailsWith<A2fException.InvalidInput> { session.finish() }
        assertEquals("no_qr_code", none.code)
        assertEquals(ScanStep.Read, session.scanText(partTwo).step)
    }

    @Test
    fun aPartialTransferIsAcceptedAndTheVaultRemembersIt() {
        ScanSession().use { session ->
            assertFalse(session.scanText(partOne).complete)
            session.finish().use { import ->
                val missing = import.incompleteTransfers().single()
                assertEquals(listOf(2u), missing.missing)
                val report = vault.importAll(import, false)
                assertEquals(listOf(2u), report.transfers.single().missing)
                assertTrue(report.transfers.single().message.contains("2"))
            }
        }
        // Part 2 on another day, read alone: part 1 is remembered.
        readImport(partTwo).use { import ->
            assertEquals(listOf(1u), import.incompleteTransfers().single().missing)
            assertEquals(emptyList(), vault.importAll(import, false).transfers)
        }
    }

    @Test
    fun anEprocCodeFromCameraFrames() = ScanSession().use { session ->
        val empty = Frames.empty()
        repeat(3) {
            val state = session.scan(empty)
            assertEquals(ScanStep.NoCode, state.step)
            assertEquals(0u, state.items)
            assertFalse(state.complete)
        }
        val photo = Frames.luma(Frames.onCamera(Frames.decode(fixture("eproc-photo.jpg").readBytes())))
        val state = session.scan(photo)
        assertEquals(ScanStep.Read, state.step)
        assertNull(state.transfer)
        assertTrue(state.complete, "one eproc code is all there is to read")
        assertEquals(ScanStep.AlreadyRead, session.scan(photo).step)
        session.finish().use { import ->
            assertNull(import.items().single().place)
            assertEquals("287082", import.codes(59).single()?.code)
        }
    }

    @Test
    fun aGoogleExportShownOnAnotherPhoneScannedFrameByFrame() {
        // 23 keys make three transfer codes of at most ten accounts.
        val random = Random(23)
        val keys = List(23) { ByteArray(20).also(random::nextBytes) }
        val list = keys.mapIndexed { i, key -> "otpauth://totp/eproc%20TJSC:oab$i?secret=${Reference.base32(key)}" }
        readImport(list.joinToString("\n")).use { assertEquals(23, vault.importAll(it, false).added.size) }
        val export = vault.exportPlaintext(ExportFormat.GOOGLE)
        val codes = assertIs<ExportContents.TransferCodes>(export.contents).codes
        assertEquals(3, codes.size)
        val frames = codes.map { Frames.luma(Frames.onCamera(Frames.decode(it.png), width = 1280, height = 720, side = 700)) }

        ScanSession().use { session ->
            val steps = mutableListOf<ScanState>()
            for (i in listOf(2, 2, 0, 1)) {
                steps += session.scan(Frames.empty())
                steps += session.scan(frames[i])
            }
            assertTrue(steps.filterIndexed { i, _ -> i % 2 == 0 }.all { it.step == ScanStep.NoCode })
            val read = steps.filterIndexed { i, _ -> i % 2 == 1 }
            assertEquals(listOf(ScanStep.Read, ScanStep.AlreadyRead, ScanStep.Read, ScanStep.Read), read.map { it.step })
            assertEquals(listOf(listOf(1u, 2u), listOf(1u, 2u), listOf(2u), emptyList()), read.map { it.transfer?.missing })
            assertEquals(listOf(false, false, false, true), read.map { it.complete })
            assertEquals(23u, read.last().items)

            TempDir().use { otherDir ->
                Vault.createWithPassphrase(otherDir.path(), PASSPHRASE, QUICK_KDF).use { phone ->
                    session.finish().use { import ->
                        assertEquals(23, phone.importAll(import, false).added.size)
                    }
                    for (at in listOf(59L, 1_700_000_000L)) {
                        assertEquals(keys.map { Reference.totp(it, at, 30, "SHA1", 6) }, phone.codes(at, null).map { it.code })
                    }
                    assertEquals(List(23) { "oab$it" }, phone.list(false).map { it.login })
                }
            }
        }
    }

    @Test
    fun framesThatDoNotFitTheirBytesAreErrors() = ScanSession().use { session ->
        val frame = Frames.empty()
        val e = assertFailsWith<A2fException.InvalidInput> {
            session.scanFrame(frame.width.toUInt(), frame.height.toUInt(), (frame.width - 1).toUInt(), frame.bytes)
        }
        assertEquals("invalid_frame", e.code)
    }
}
