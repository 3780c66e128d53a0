package br.app.a2feproc.core.bench

import br.app.a2feproc.core.IntegrityCheckingUniffiLib
import br.app.a2feproc.core.KdfSettings
import br.app.a2feproc.core.Language
import br.app.a2feproc.core.ScanSession
import br.app.a2feproc.core.ScanStep
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.catalog
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import br.app.a2feproc.core.readImport
import br.app.a2feproc.core.setLanguage
import java.awt.Color
import java.awt.GradientPaint
import java.awt.image.BufferedImage
import java.awt.image.DataBufferByte
import java.io.ByteArrayInputStream
import java.io.File
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.util.Random
import javax.imageio.ImageIO

/**
 * What one call through the Kotlin bindings costs on this machine: a bare native call,
 * a trivial uniffi call (the marshalling alone) and larger ones. Each is warmed up (JIT,
 * caches), then timed in rounds of many calls, per call: the median round by the clock,
 * the fastest round, and the median round in CPU time of the calling thread, which
 * other work on a shared machine does not inflate.
 */
private const val WARM_UP_CALLS = 20_000
private const val ROUNDS = 101
private const val CALLS_PER_ROUND = 1_000

private var sink = 0
private val threads = ManagementFactory.getThreadMXBean()

/**
 * Measures `call`; returns the fastest round's time per call, in µs: the call's own cost,
 * least disturbed by other work on a shared machine.
 */
private fun measure(
    name: String,
    warmUp: Int = WARM_UP_CALLS,
    perRound: Int = CALLS_PER_ROUND,
    call: () -> Int,
): Double {
    repeat(warmUp) { sink += call() }
    val wallMicros = DoubleArray(ROUNDS)
    val cpuMicros = DoubleArray(ROUNDS)
    for (round in 0 until ROUNDS) {
        val cpuStart = threads.currentThreadCpuTime
        val start = System.nanoTime()
        repeat(perRound) { sink += call() }
        wallMicros[round] = (System.nanoTime() - start) / 1_000.0 / perRound
        cpuMicros[round] = (threads.currentThreadCpuTime - cpuStart) / 1_000.0 / perRound
    }
    wallMicros.sort()
    cpuMicros.sort()
    println(
        "%-54s %8.2f %8.2f %8.2f".format(name, wallMicros[ROUNDS / 2], wallMicros.first(), cpuMicros[ROUNDS / 2]),
    )
    return wallMicros.first()
}

/** The code list's timer call: `Vault.codes` over a vault of 100 entries. */
private fun measureVaultCodes(): Double {
    val dir = Files.createTempDirectory("a2f-bench-").toFile()
    try {
        val random = Random(100)
        val uris = (1..100).joinToString("\n") { i ->
            val key = ByteArray(20).also(random::nextBytes)
            "otpauth://totp/eproc%20TJRS:oab$i?secret=${base32(key)}"
        }
        val kdf = KdfSettings(memoryKib = 19u * 1024u, iterations = 2u, parallelism = 1u)
        return Vault.createWithPassphrase(File(dir, "vault.db").path, "bench", kdf).use { vault ->
            readImport(uris).use { check(vault.importAll(it, false).added.size == 100) }
            var at = 1_700_000_000L
            // The core decrypts each entry's two fields and computes two codes per entry.
            measure("Vault.codes: 100 entries, 100 records out", warmUp = 500, perRound = 20) {
                vault.codes(at++, null).size
            }
        }
    } finally {
        dir.deleteRecursively()
    }
}

/**
 * The camera screen's per-frame call: `ScanSession.scanFrame` on a 1280×720 luma plane,
 * CameraX's usual analysis size, with nothing to read (most frames) and with an eproc
 * code filling a third of the frame's height.
 */
private fun measureFrames() {
    val dir = Files.createTempDirectory("a2f-bench-").toFile()
    try {
        val kdf = KdfSettings(memoryKib = 19u * 1024u, iterations = 2u, parallelism = 1u)
        val png = Vault.createWithPassphrase(File(dir, "vault.db").path, "bench", kdf).use { vault ->
            readImport("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").use { vault.importAll(it, false) }
            vault.exportConsoleKey(vault.list(false).single().id).qrPng!!
        }
        // A grey image's raster is a luma plane whose row stride is its width.
        fun frame(code: Boolean): ByteArray {
            val image = BufferedImage(1280, 720, BufferedImage.TYPE_BYTE_GRAY)
            val g = image.createGraphics()
            g.paint = GradientPaint(0f, 0f, Color(70, 70, 70), 1280f, 720f, Color(200, 200, 200))
            g.fillRect(0, 0, 1280, 720)
            if (code) g.drawImage(ImageIO.read(ByteArrayInputStream(png)), 500, 200, 260, 260, null)
            g.dispose()
            return (image.raster.dataBuffer as DataBufferByte).data
        }
        val empty = frame(code = false)
        val withCode = frame(code = true)
        ScanSession().use { session ->
            measure("ScanSession.scanFrame: 1280×720, no code", warmUp = 20, perRound = 3) {
                check(session.scanFrame(1280u, 720u, 1280u, empty).step == ScanStep.NoCode)
                1
            }
            measure("ScanSession.scanFrame: 1280×720, an eproc code", warmUp = 20, perRound = 3) {
                check(session.scanFrame(1280u, 720u, 1280u, withCode).items == 1u)
                1
            }
        }
    } finally {
        dir.deleteRecursively()
    }
}

/** RFC 4648 base32 without padding, as otpauth URIs carry keys. */
private fun base32(bytes: ByteArray): String {
    val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    val out = StringBuilder()
    var buffer = 0
    var bits = 0
    for (b in bytes) {
        buffer = (buffer shl 8) or (b.toInt() and 0xff)
        bits += 8
        while (bits >= 5) {
            bits -= 5
            out.append(alphabet[(buffer shr bits) and 31])
        }
        buffer = buffer and ((1 shl bits) - 1)
    }
    if (bits > 0) out.append(alphabet[(buffer shl (5 - bits)) and 31])
    return out.toString()
}

fun main() {
    val uri = "otpauth://totp/eproc%20TRF4:12345678900?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4"
    println("Kotlin → Rust through JNA, ${Runtime.version()}, $ROUNDS rounds of $CALLS_PER_ROUND calls")
    println("%-54s %8s %8s %8s".format("µs per call", "median", "fastest", "CPU"))
    // The floor: one JNA call with no uniffi buffers. It reaches into the generated code
    // (internal, visible here because both are compiled as one module).
    measure("bare JNA call: uniffi's contract version, an int out") {
        IntegrityCheckingUniffiLib.ffi_eproc_a2f_core_uniffi_contract_version()
    }
    // Every enum, string, record or list crossing costs one more native call, to
    // allocate (argument) or free (result) its buffer: this one makes two.
    measure("setLanguage: trivial, one enum in, nothing out") { setLanguage(Language.PT_BR); 1 }
    measure("catalog: 22 records out") { catalog().size }
    measure("parseImport: otpauth URI in, one preview out") { parseImport(uri).size }
    measure("previewCode: otpauth URI in, two HMAC-SHA1 codes out") { previewCode(uri, 1_700_000_000).size }
    val codes = measureVaultCodes()
    measureFrames()
    check(sink != 0)
    // The code list refreshes every entry with one call per tick: it must stay cheap.
    check(codes < 1_000) { "Vault.codes for 100 entries took %.0f µs, over 1 ms".format(codes) }
}
