package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.previewCode
import br.app.a2feproc.core.readImport
import br.app.a2feproc.core.readImportFrame
import br.app.a2feproc.core.readImportImage
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull

/** Keys read from pictures: files the user picks or shares, and single camera frames. */
class PicturesTest {
    private val trf4Group = listOf("trf4", "jfpr", "jfsc", "jfrs")

    @Test
    fun eprocScreenshotAndPhotoGiveTheEprocKey() {
        for (name in listOf("eproc-screenshot.png", "eproc-screenshot-dark.png", "eproc-photo.jpg")) {
            readImportImage(fixture(name).readBytes()).use { import ->
                val item = import.items().single()
                assertNull(item.place, name)
                val preview = assertNotNull(item.preview, name)
                assertEquals("eproc TRF4", preview.issuer, name)
                assertEquals("12345678900", preview.account, name)
                assertEquals(trf4Group, preview.suggestedSystems, name)
                // RFC 6238's SHA1 seed at t = 59, at eproc's 6 digits.
                assertEquals("287082", import.codes(59).single()?.code, name)
            }
        }
    }

    @Test
    fun aGoogleTransferScreenshotGivesItsAccounts() {
        val text = fixture("google-transfer.txt").readText()
        readImportImage(fixture("google-transfer.png").readBytes()).use { import ->
            val items = import.items()
            assertEquals(3, items.size)
            assertEquals(listOf("eproc JFPR", "eproc TJSC", "TNU"), items.map { it.preview?.issuer })
            // The same codes as the transfer's text.
            assertEquals(previewCode(text, 1_700_000_000).map { it.code }, import.codes(1_700_000_000).map { it?.code })
            assertEquals(emptyList(), import.incompleteTransfers())
        }
    }

    @Test
    fun anyOtherFileIsReadAsText() {
        // What the document picker may hand over: here a list of URIs, as `readImport` reads it.
        val file = fixture("uris.txt")
        val expected = readImport(file.readText()).use { it.items() }
        readImportImage(file.readBytes()).use { import ->
            assertEquals(expected, import.items())
            assertEquals(listOf("line 4", "line 5"), import.items().take(2).map { it.place?.replace("linha", "line") })
            assertEquals(listOf(1.toUInt()), import.incompleteTransfers().single().missing)
        }
    }

    @Test
    fun picturesWithoutACodeAndOtherFilesFail() {
        val noCode = assertFailsWith<A2fException.InvalidInput> { readImportImage(fixture("no-qr.png").readBytes()) }
        assertEquals("no_qr_code", noCode.code)
        val truncated = fixture("eproc-screenshot.png").readBytes().copyOf(200)
        assertEquals("unsupported_image", assertFailsWith<A2fException.InvalidInput> { readImportImage(truncated) }.code)
        val binary = byteArrayOf(0, 1, 2, 0xff.toByte(), 0xfe.toByte())
        assertEquals("unrecognized_input", assertFailsWith<A2fException.InvalidInput> { readImportImage(binary) }.code)
        assertEquals("empty_input", assertFailsWith<A2fException.InvalidInput> { readImportImage(ByteArray(0)) }.code)
    }

    @Test
    fun aCameraFrameWithAPaddedRowStride() {
        val shot = Frames.decode(fixture("eproc-screenshot.png").readBytes())
        val frame = Frames.luma(shot)
        readImportFrame(frame.width.toUInt(), frame.height.toUInt(), frame.rowStride.toUInt(), frame.bytes).use { import ->
            assertEquals("287082", import.codes(59).single()?.code)
            assertEquals("12345678900", import.items().single().preview?.account)
        }
        // The photo, smaller and off centre in a frame as the camera sees it.
        val photo = Frames.luma(Frames.onCamera(Frames.decode(fixture("eproc-photo.jpg").readBytes())))
        readImportFrame(photo.width.toUInt(), photo.height.toUInt(), photo.rowStride.toUInt(), photo.bytes).use { import ->
            assertEquals("287082", import.codes(59).single()?.code)
        }
    }

    @Test
    fun badFramesAreTypedErrors() {
        val frame = Frames.empty()
        val (w, h, stride) = Triple(frame.width.toUInt(), frame.height.toUInt(), frame.rowStride.toUInt())
        assertEquals("no_qr_code", assertFailsWith<A2fException.InvalidInput> { readImportFrame(w, h, stride, frame.bytes) }.code)
        val cases = listOf(
            Triple(0u, h, stride) to frame.bytes,
            Triple(w, h, w - 1u) to frame.bytes,
            Triple(w, h, stride) to frame.bytes.copyOf(frame.bytes.size - frame.rowStride),
        )
        for ((sizes, bytes) in cases) {
            val e = assertFailsWith<A2fException.InvalidInput> { readImportFrame(sizes.first, sizes.second, sizes.third, bytes) }
            assertEquals("invalid_frame", e.code, sizes.toString())
        }
        val huge = assertFailsWith<A2fException.InvalidInput> { readImportFrame(100_000u, 100_000u, 100_000u, ByteArray(16)) }
        assertEquals("image_too_large", huge.code)
    }
}
