package br.app.a2feproc.core.tests

import br.app.a2feproc.core.KdfSettings
import br.app.a2feproc.core.PlatformKeyException
import br.app.a2feproc.core.PlatformKeyStore
import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** OWASP's floor for Argon2id: the cheapest cost the vault accepts, so tests stay quick. */
val QUICK_KDF = KdfSettings(memoryKib = 19u * 1024u, iterations = 2u, parallelism = 1u)

const val PASSPHRASE = "correct horse battery staple"

/**
 * What an app's keystore does, on the JVM: AES-256-GCM under a key generated here, the
 * IV before the ciphertext. Android's Keystore does the same with a key that never leaves
 * the hardware. A new instance is a new key: what the phone has after biometrics are
 * re-enrolled. `duringCall` runs inside each call, as a prompt would.
 */
class AesKeystore(private val duringCall: () -> Unit = {}) : PlatformKeyStore {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    private val random = SecureRandom()
    val calls = AtomicInteger()

    override fun wrap(key: ByteArray): ByteArray {
        calls.incrementAndGet()
        duringCall()
        val iv = ByteArray(12).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, this.key, GCMParameterSpec(128, iv))
        return iv + cipher.doFinal(key)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        calls.incrementAndGet()
        duringCall()
        if (wrapped.size < 12 + 16) throw PlatformKeyException.KeyInvalidated()
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped, 0, 12))
        try {
            return cipher.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: AEADBadTagException) {
            // Wrapped under a key this keystore no longer has.
            throw PlatformKeyException.KeyInvalidated()
        }
    }
}

/** A keystore that fails every call with `failure`, counting the calls. */
class FailingKeystore(private val failure: () -> Exception) : PlatformKeyStore {
    val calls = AtomicInteger()

    override fun wrap(key: ByteArray): ByteArray {
        calls.incrementAndGet()
        throw failure()
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        calls.incrementAndGet()
        throw failure()
    }
}

/** A fresh folder for vault files, deleted with everything in it by `close`. */
class TempDir : AutoCloseable {
    val dir: File = Files.createTempDirectory("a2f-kotlin-").toFile()

    fun path(name: String = "vault.db"): String = File(dir, name).path

    override fun close() {
        dir.deleteRecursively()
    }
}
