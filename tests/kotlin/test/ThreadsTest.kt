package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.catalog
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import br.app.a2feproc.core.suggestSystems
import java.util.Random
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class ThreadsTest {
    @Test
    fun manyThreadsCallAtOnceAndEachGetsItsOwnAnswer() {
        val threads = 8
        val rounds = 250
        val pool = Executors.newFixedThreadPool(threads)
        val start = CountDownLatch(1)
        try {
            val tasks = (0 until threads).map { t ->
                pool.submit(
                    Callable {
                        start.await()
                        // Each thread its own key, so a mixed-up answer shows.
                        val random = Random(t.toLong())
                        val key = ByteArray(20).also(random::nextBytes)
                        val uri = Reference.uri(key)
                        var checked = 0
                        repeat(rounds) {
                            val time = random.nextLong() ushr 28
                            assertEquals(Reference.totp(key, time, 30, "SHA1", 6), previewCode(uri, time).single().code)
                            assertEquals(22, catalog().size)
                            assertEquals(listOf("trf4", "jfpr", "jfsc", "jfrs"), suggestSystems("JFRS"))
                            val e = assertFailsWith<A2fException.InvalidInput> { parseImport("otpauth://totp/x?digits=6") }
                            assertEquals("missing_secret", e.code)
                            checked++
                        }
                        checked
                    },
                )
            }
            start.countDown()
            val done = tasks.sumOf { it.get(2, TimeUnit.MINUTES) }
            assertEquals(threads * rounds, done)
        } finally {
            pool.shutdownNow()
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES))
        }
    }
}
