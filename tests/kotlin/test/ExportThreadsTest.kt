package br.app.a2feproc.core.tests

import br.app.a2feproc.core.ExportContents
import br.app.a2feproc.core.ExportFormat
import br.app.a2feproc.core.ScanSession
import br.app.a2feproc.core.ScanStep
import br.app.a2feproc.core.Vault
import br.app.a2feproc.core.readImport
import java.util.Random
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** Exports, backups and the scanner while other threads use the same objects. */
class ExportThreadsTest {
    @Test
    fun codesStayRightWhileKeysGoOut() = TempDir().use { tmp ->
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF).use { vault ->
            val random = Random(7)
            val keys = List(30) { ByteArray(20).also(random::nextBytes) }
            readImport(keys.joinToString("\n") { Reference.uri(it) }).use { vault.importAll(it, false) }
            val ids = vault.list(false).map { it.id }
            val byId = ids.zip(keys).toMap()
            val exporting = AtomicBoolean(true)
            val readers = 3
            val pool = Executors.newFixedThreadPool(readers + 1)
            val start = CountDownLatch(1)
            try {
                val exporter = pool.submit(
                    Callable {
                        start.await()
                        val backup = vault.createBackup("backup", QUICK_KDF)
                        val consoleKeys = ids.map { vault.exportConsoleKey(it).raw }
                        val google = vault.exportPlaintext(ExportFormat.GOOGLE)
                        Triple(backup, consoleKeys, google)
                    },
                )
                val readerTasks = (0 until readers).map { r ->
                    pool.submit(
                        Callable {
                            start.await()
                            var calls = 0
                            val random = Random(r.toLong())
                            while (exporting.get() || calls < 10) {
                                val at = random.nextLong() ushr 30
                                for (e in vault.codes(at, null)) {
                                    assertEquals(Reference.totp(byId.getValue(e.id), at, 30, "SHA1", 6), e.code)
                                }
                                calls++
                            }
                            calls
                        },
                    )
                }
                start.countDown()
                val (backup, consoleKeys, google) = exporter.get(5, TimeUnit.MINUTES)
                exporting.set(false)
                assertTrue(readerTasks.sumOf { it.get(5, TimeUnit.MINUTES) } >= readers * 10)

                assertEquals(keys.map { Reference.base32(it) }, consoleKeys)
                assertTrue(vault.list(false).all { it.exportedAt != null })
                assertEquals(3, assertIs<ExportContents.TransferCodes>(google.contents).codes.size)
                TempDir().use { other ->
                    Vault.createWithPassphrase(other.path(), PASSPHRASE, QUICK_KDF).use { copy ->
                        assertEquals(30, copy.restoreBackup(backup.bytes, "backup", false).added.size)
                        assertEquals(vault.codes(1_700_000_000, null).map { it.code }, copy.codes(1_700_000_000, null).map { it.code })
                    }
                }
            } finally {
                pool.shutdownNow()
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES))
            }
        }
    }

    @Test
    fun oneScanSessionFedFromSeveralThreads() {
        val parts = listOf("google-migration-1-of-2.txt", "google-migration-2-of-2.txt").map { fixture(it).readText() }
        val eproc = fixture("eproc-uri.txt").readText()
        val threads = 6
        ScanSession().use { session ->
            val pool = Executors.newFixedThreadPool(threads)
            val start = CountDownLatch(1)
            try {
                val tasks = (0 until threads).map { t ->
                    pool.submit(
                        Callable {
                            start.await()
                            // Every thread reads every code a few times, in its own order.
                            val texts = (parts + eproc).let { if (t % 2 == 0) it else it.reversed() }
                            (1..5).flatMap { texts.map { session.scanText(it).step } }
                        },
                    )
                }
                start.countDown()
                val steps = tasks.flatMap { it.get(1, TimeUnit.MINUTES) }
                // Each code was new exactly once, whoever read it first.
                assertEquals(3, steps.count { it == ScanStep.Read })
                assertEquals(threads * 5 * 3 - 3, steps.count { it == ScanStep.AlreadyRead })
            } finally {
                pool.shutdownNow()
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES))
            }
            session.finish().use { import ->
                assertEquals(6, import.items().size)
                assertEquals(emptyList(), import.incompleteTransfers())
            }
        }
    }
}
