package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.KdfSettings
import br.app.a2feproc.core.PlatformKeyException
import br.app.a2feproc.core.PlatformKeyStore
import br.app.a2feproc.core.SlotKind
import br.app.a2feproc.core.Vault
import java.io.File
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class UnlockTest {
    @Test
    fun aKotlinKeystoreCreatesOpensAndUnlocks() = TempDir().use { tmp ->
        val keystore = AesKeystore()
        Vault.createWithPlatform(tmp.path(), keystore).use { vault ->
            assertTrue(vault.isUnlocked())
            assertEquals(listOf(SlotKind.PLATFORM), vault.slots().map { it.kind })
            assertEquals(1, keystore.calls.get(), "create wraps the vault key once")
        }
        Vault.open(tmp.path()).use { vault ->
            assertFalse(vault.isUnlocked())
            val locked = assertFailsWith<A2fException.Auth> { vault.list(false) }
            assertEquals("locked", locked.code)
            vault.unlockWithPlatform(keystore)
            assertTrue(vault.isUnlocked())
            assertEquals(emptyList(), vault.list(false))
            vault.lock()
            assertFalse(vault.isUnlocked())
            assertEquals("locked", assertFailsWith<A2fException.Auth> { vault.codes(0, null) }.code)
        }
    }

    @Test
    fun aPassphraseVaultWithTheDefaultCost() = TempDir().use { tmp ->
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE).use { assertTrue(it.isUnlocked()) }
        Vault.open(tmp.path()).use { vault ->
            val wrong = assertFailsWith<A2fException.Auth> { vault.unlockWithPassphrase("Correct horse battery staple") }
            assertEquals("wrong_passphrase", wrong.code)
            assertTrue(wrong.detail.isNotBlank())
            assertFalse(vault.isUnlocked())
            vault.unlockWithPassphrase(PASSPHRASE)
            assertTrue(vault.isUnlocked())
        }
    }

    @Test
    fun theKeystoreFailsAsTheAppSays() = TempDir().use { tmp ->
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF).use { vault ->
            vault.addPlatformSlot(AesKeystore())
            vault.lock()

            val cancelled = FailingKeystore { PlatformKeyException.Cancelled() }
            val e1 = assertFailsWith<A2fException.Auth> { vault.unlockWithPlatform(cancelled) }
            assertEquals("platform_key_cancelled", e1.code)

            val unavailable = FailingKeystore { PlatformKeyException.Unavailable() }
            val e2 = assertFailsWith<A2fException.Auth> { vault.unlockWithPlatform(unavailable) }
            assertEquals("platform_key_unavailable", e2.code)

            // An exception the keystore does not declare is a keystore that did not answer.
            val broken = FailingKeystore { IllegalStateException("Keystore crashed") }
            val e3 = assertFailsWith<A2fException.Auth> { vault.unlockWithPlatform(broken) }
            assertEquals("platform_key_unavailable", e3.code)
            assertFalse(e3.detail.contains("crashed"))

            assertFalse(vault.isUnlocked())
            assertEquals(listOf(1, 1, 1), listOf(cancelled, unavailable, broken).map { it.calls.get() })

            // Creating fails the same way, and leaves no file behind.
            val e4 = assertFailsWith<A2fException.Auth> { Vault.createWithPlatform(tmp.path("other.db"), cancelled) }
            assertEquals("platform_key_cancelled", e4.code)
            assertFalse(File(tmp.path("other.db")).exists())
            vault.unlockWithPassphrase(PASSPHRASE)
            val e5 = assertFailsWith<A2fException.Auth> { vault.addPlatformSlot(cancelled) }
            assertEquals("platform_key_cancelled", e5.code)
            assertEquals(2, vault.slots().size)
        }
    }

    @Test
    fun anInvalidatedKeyFallsBackToThePassphrase() = TempDir().use { tmp ->
        val before = AesKeystore()
        val platformSlot = Vault.createWithPlatform(tmp.path(), before).use { vault ->
            val id = vault.addPassphraseSlot(PASSPHRASE, QUICK_KDF)
            assertEquals(listOf(SlotKind.PLATFORM, SlotKind.PASSPHRASE), vault.slots().map { it.kind })
            assertEquals(id, vault.slots().last().id)
            vault.slots().first().id
        }
        // Biometrics re-enrolled: the keystore's key is a new one.
        val after = AesKeystore()
        Vault.open(tmp.path()).use { vault ->
            val e = assertFailsWith<A2fException.Auth> { vault.unlockWithPlatform(after) }
            assertEquals("platform_key_invalidated", e.code)
            assertFalse(vault.isUnlocked())
            // What the app does: the passphrase, then a new platform slot for the new key.
            vault.unlockWithPassphrase(PASSPHRASE)
            vault.removeSlot(platformSlot)
            val newSlot = vault.addPlatformSlot(after)
            assertEquals(newSlot, vault.slots().single { it.kind == SlotKind.PLATFORM }.id)
            vault.lock()
            vault.unlockWithPlatform(after)
            assertTrue(vault.isUnlocked())
        }
    }

    @Test
    fun aKeystoreThatAnswersWithTheWrongKeyIsInvalidated() = TempDir().use { tmp ->
        val liar = object : PlatformKeyStore {
            override fun wrap(key: ByteArray) = ByteArray(48)
            override fun unwrap(wrapped: ByteArray) = ByteArray(32) { 7 }
        }
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF).use { vault ->
            vault.addPlatformSlot(liar)
            vault.lock()
            val e = assertFailsWith<A2fException.Auth> { vault.unlockWithPlatform(liar) }
            assertEquals("platform_key_invalidated", e.code)
            assertFalse(vault.isUnlocked())
        }
    }

    @Test
    fun theKeystoreIsNeverCalledWhileTheVaultIsHeld() = TempDir().use { tmp ->
        // The keystore calls back into the vault, as another thread of the app might while
        // a biometric prompt is up: with the vault's lock held, that would never return.
        lateinit var vault: Vault
        var seen = 0
        val keystore = AesKeystore { seen = vault.slots().size }
        vault = Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF)
        vault.use {
            val done = CountDownLatch(1)
            thread(isDaemon = true) {
                vault.addPlatformSlot(keystore)
                vault.lock()
                vault.unlockWithPlatform(keystore)
                done.countDown()
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "the keystore's call into the vault blocked")
            assertTrue(vault.isUnlocked())
            assertEquals(2, seen)
        }
    }

    @Test
    fun passphraseSlotsComeAndGo() = TempDir().use { tmp ->
        Vault.createWithPassphrase(tmp.path(), PASSPHRASE, QUICK_KDF).use { vault ->
            val only = vault.slots().single()
            assertEquals(SlotKind.PASSPHRASE, only.kind)
            assertTrue(only.createdAt > 1_700_000_000)
            assertEquals("last_slot", assertFailsWith<A2fException.InvalidInput> { vault.removeSlot(only.id) }.code)
            assertEquals("slot_not_found", assertFailsWith<A2fException.NotFound> { vault.removeSlot(999) }.code)

            vault.changePassphrase("nova senha", QUICK_KDF)
            vault.lock()
            assertEquals("wrong_passphrase", assertFailsWith<A2fException.Auth> { vault.unlockWithPassphrase(PASSPHRASE) }.code)
            vault.unlockWithPassphrase("nova senha")

            val weak = KdfSettings(memoryKib = 1024u, iterations = 1u, parallelism = 1u)
            // The core files this code with damaged files, where it mostly comes from.
            val weakCost = assertFailsWith<A2fException.Damaged> { vault.addPassphraseSlot("x", weak) }
            assertEquals("kdf_params_out_of_range", weakCost.code)
            val empty = assertFailsWith<A2fException.InvalidInput> { vault.changePassphrase("") }
            assertEquals("empty_passphrase", empty.code)
            assertEquals(1, vault.slots().size)
        }
    }

    @Test
    fun openingWhatIsNotAVaultIsReportedAndLeftAlone() = TempDir().use { tmp ->
        assertEquals("vault_not_found", assertFailsWith<A2fException.NotFound> { Vault.open(tmp.path()) }.code)
        val file = File(tmp.path())
        file.writeText("SQLite? no: a shopping list")
        val e = assertFailsWith<A2fException.Damaged> { Vault.open(file.path) }
        assertEquals("not_a_vault", e.code)
        assertEquals("SQLite? no: a shopping list", file.readText())
        val exists = assertFailsWith<A2fException.InvalidInput> { Vault.createWithPassphrase(file.path, PASSPHRASE, QUICK_KDF) }
        assertEquals("vault_exists", exists.code)
    }
}
