package br.app.a2feproc.core.tests

import br.app.a2feproc.core.AddOutcome
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import java.util.Random
import java.util.concurrent.Callable
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * One Vault object shared by the app's threads: the UI timer reads codes while other
 * threads add and rename entries. Every answer must be whole and right.
 */
class VaultThreadsTest {
    @Test
    fun codesWhileOtherThreadsAddAndRename() = TempDir().use { tmp ->
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF).use { vault ->
            val writers = 2
            val perWriter = 25
            val readers = 4
            val keys = ConcurrentHashMap<Long, ByteArray>()
            val writing = AtomicBoolean(true)
            val pool = Executors.newFixedThreadPool(writers + readers)
            val start = CountDownLatch(1)
            try {
                val writerTasks = (0 until writers).map { w ->
                    pool.submit(
                        Callable {
                            start.await()
                            val random = Random(100L + w)
                            repeat(perWriter) { i ->
                                val key = ByteArray(20).also(random::nextBytes)
                                val id = readImport(Reference.uri(key)).use { import ->
                                    assertIs<AddOutcome.Added>(vault.addFromImport(import, 0u, listOf("tjrs-1g"), null, "w$w-$i")).id
                                }
                                keys[id] = key
                                vault.rename(id, "writer $w entry $i")
                            }
                        },
                    )
                }
                val readerTasks = (0 until readers).map { r ->
                    pool.submit(
                        Callable {
                            start.await()
                            val random = Random(200L + r)
                            var checked = 0
                            var calls = 0
                            while (writing.get() || calls < 20) {
                                val at = random.nextLong() ushr 30
                                for (e in vault.codes(at, null)) {
                                    assertNull(e.error)
                                    // An entry added after its key was recorded is checked next time.
                                    val key = keys[e.id] ?: continue
                                    assertEquals(Reference.totp(key, at, 30, "SHA1", 6), e.code, "entry ${e.id} at $at")
                                    assertTrue(e.label!!.startsWith("w") || e.label!!.startsWith("writer"))
                                    checked++
                                }
                                calls++
                            }
                            checked
                        },
                    )
                }
                start.countDown()
                writerTasks.forEach { it.get(5, TimeUnit.MINUTES) }
                writing.set(false)
                val checked = readerTasks.sumOf { it.get(5, TimeUnit.MINUTES) }
                assertTrue(checked > 0, "the readers saw entries")
            } finally {
                pool.shutdownNow()
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES))
            }

            val listed = vault.list(false)
            assertEquals(writers * perWriter, listed.size)
            assertEquals(keys.keys, listed.map { it.id }.toSet())
            assertTrue(listed.all { it.label!!.startsWith("writer ") })
            val at = 1_700_000_000L
            for (e in vault.codes(at, "tjrs-1g")) {
                assertEquals(Reference.totp(keys.getValue(e.id), at, 30, "SHA1", 6), e.code)
            }
        }
    }
}
