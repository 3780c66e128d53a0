package br.app.a2feproc.core.tests

import java.awt.Color
import java.awt.RenderingHints
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.io.File
import javax.imageio.ImageIO

/** A fixture file of the repository; scripts/kotlin-tests passes their folder. */
fun fixture(name: String): File =
    File(System.getProperty("eproc.fixtures") ?: error("set -Deproc.fixtures=DIR"), name)

/**
 * A camera frame's luma plane as CameraX's `ImageAnalysis` hands it over (plane 0 of
 * `YUV_420_888`): `height` rows of `width` bytes, each `rowStride` bytes after the last,
 * with padding after each row that is not picture.
 */
class Frame(val width: Int, val height: Int, val rowStride: Int, val bytes: ByteArray)

object Frames {
    /** What the padding holds: not white, so that a reader that ignores the stride sees stripes. */
    private const val PADDING: Byte = 0x55

    /**
     * The frame of `image`, its luma in BT.601's video range (16–235) as camera sensors
     * give it, with `padding` bytes after each row.
     */
    fun luma(image: BufferedImage, padding: Int = 64): Frame {
        val stride = image.width + padding
        val bytes = ByteArray(stride * image.height) { PADDING }
        for (y in 0 until image.height) {
            for (x in 0 until image.width) {
                val rgb = image.getRGB(x, y)
                val r = (rgb shr 16) and 0xff
                val g = (rgb shr 8) and 0xff
                val b = rgb and 0xff
                val full = (299 * r + 587 * g + 114 * b) / 1000
                bytes[y * stride + x] = (16 + full * 219 / 255).toByte()
            }
        }
        return Frame(image.width, image.height, stride, bytes)
    }

    fun decode(file: ByteArray): BufferedImage = ImageIO.read(ByteArrayInputStream(file))

    /**
     * `code` as a phone camera sees a screen: scaled with smoothing to `side` pixels, off
     * centre in a `width`×`height` frame of grey surroundings.
     */
    fun onCamera(code: BufferedImage, width: Int = 640, height: Int = 480, side: Int = 420): BufferedImage {
        val frame = BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)
        val g = frame.createGraphics()
        try {
            g.color = Color(90, 90, 90)
            g.fillRect(0, 0, frame.width, frame.height)
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR)
            g.drawImage(code, (width - side) * 2 / 3, (height - side) / 3, side, side, null)
        } finally {
            g.dispose()
        }
        return frame
    }

    /** A frame with nothing to read: what most frames are while the user aims. */
    fun empty(): Frame = luma(BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB).also {
        val g = it.createGraphics()
        g.color = Color(200, 180, 160)
        g.fillRect(0, 0, it.width, it.height)
        g.dispose()
    })
}
