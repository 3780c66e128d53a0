package br.app.a2feproc.core.bench

import br.app.a2feproc.core.IntegrityCheckingUniffiLib
import br.app.a2feproc.core.Language
import br.app.a2feproc.core.catalog
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import br.app.a2feproc.core.setLanguage
import java.lang.management.ManagementFactory

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

private fun measure(name: String, call: () -> Int) {
    repeat(WARM_UP_CALLS) { sink += call() }
    val wallMicros = DoubleArray(ROUNDS)
    val cpuMicros = DoubleArray(ROUNDS)
    for (round in 0 until ROUNDS) {
        val cpuStart = threads.currentThreadCpuTime
        val start = System.nanoTime()
        repeat(CALLS_PER_ROUND) { sink += call() }
        wallMicros[round] = (System.nanoTime() - start) / 1_000.0 / CALLS_PER_ROUND
        cpuMicros[round] = (threads.currentThreadCpuTime - cpuStart) / 1_000.0 / CALLS_PER_ROUND
    }
    wallMicros.sort()
    cpuMicros.sort()
    println(
        "%-54s %8.2f %8.2f %8.2f".format(name, wallMicros[ROUNDS / 2], wallMicros.first(), cpuMicros[ROUNDS / 2]),
    )
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
    check(sink != 0)
}
