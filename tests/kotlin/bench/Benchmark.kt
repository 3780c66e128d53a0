package br.app.a2feproc.core.bench

import br.app.a2feproc.core.Language
import br.app.a2feproc.core.catalog
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import br.app.a2feproc.core.setLanguage

/**
 * What one call through the Kotlin bindings costs on this machine: a trivial call
 * (the JNA and uniffi overhead alone) and larger ones. Each is warmed up (JIT, caches),
 * then timed in rounds of many calls. The median round is the typical cost; on a
 * machine shared with other work the fastest round is closer to the call's own cost.
 */
private const val WARM_UP_CALLS = 20_000
private const val ROUNDS = 101
private const val CALLS_PER_ROUND = 1_000

private var sink = 0

private fun measure(name: String, call: () -> Int) {
    repeat(WARM_UP_CALLS) { sink += call() }
    val perCallMicros = DoubleArray(ROUNDS) {
        val start = System.nanoTime()
        repeat(CALLS_PER_ROUND) { sink += call() }
        (System.nanoTime() - start) / 1_000.0 / CALLS_PER_ROUND
    }.sorted()
    println(
        "%-58s median %7.2f µs/call  (fastest round %.2f, slowest %.2f)".format(
            name, perCallMicros[ROUNDS / 2], perCallMicros.first(), perCallMicros.last(),
        ),
    )
}

fun main() {
    val uri = "otpauth://totp/eproc%20TRF4:12345678900?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4"
    println("Kotlin → Rust through JNA, ${Runtime.version()}, $ROUNDS rounds of $CALLS_PER_ROUND calls")
    measure("setLanguage: trivial, one enum in, nothing out") { setLanguage(Language.PT_BR); 1 }
    measure("catalog: 22 records out") { catalog().size }
    measure("parseImport: otpauth URI in, one preview out") { parseImport(uri).size }
    measure("previewCode: otpauth URI in, two HMAC-SHA1 codes out") { previewCode(uri, 1_700_000_000).size }
    check(sink != 0)
}
