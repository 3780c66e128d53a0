package br.app.a2feproc.core.tests

import java.nio.ByteBuffer
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * An independent HOTP/TOTP on the JVM's own HMAC, written from RFC 4226 and RFC 6238,
 * so that codes computed through the FFI are checked against something the core did
 * not compute.
 */
object Reference {
    private const val ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    /** RFC 4648 base32, upper case, no padding: how keys travel in otpauth URIs. */
    fun base32(bytes: ByteArray): String {
        val out = StringBuilder()
        var buffer = 0
        var bits = 0
        for (b in bytes) {
            buffer = (buffer shl 8) or (b.toInt() and 0xff)
            bits += 8
            while (bits >= 5) {
                bits -= 5
                out.append(ALPHABET[(buffer shr bits) and 31])
            }
            buffer = buffer and ((1 shl bits) - 1)
        }
        if (bits > 0) out.append(ALPHABET[(buffer shl (5 - bits)) and 31])
        return out.toString()
    }

    /** The JCA name of each algorithm the core accepts. */
    fun jcaName(algorithm: String): String = when (algorithm) {
        "SHA1" -> "HmacSHA1"
        "SHA256" -> "HmacSHA256"
        "SHA512" -> "HmacSHA512"
        else -> error("no such algorithm: $algorithm")
    }

    fun hotp(key: ByteArray, counter: Long, algorithm: String, digits: Int): String {
        val mac = Mac.getInstance(jcaName(algorithm))
        mac.init(SecretKeySpec(key, jcaName(algorithm)))
        val hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array())
        val offset = hash.last().toInt() and 0x0f
        val binary = ((hash[offset].toInt() and 0x7f) shl 24) or
            ((hash[offset + 1].toInt() and 0xff) shl 16) or
            ((hash[offset + 2].toInt() and 0xff) shl 8) or
            (hash[offset + 3].toInt() and 0xff)
        var modulus = 1
        repeat(digits) { modulus *= 10 }
        return (binary % modulus).toString().padStart(digits, '0')
    }

    fun totp(key: ByteArray, unixSeconds: Long, period: Int, algorithm: String, digits: Int): String =
        hotp(key, unixSeconds / period, algorithm, digits)

    fun uri(key: ByteArray, algorithm: String = "SHA1", digits: Int = 6, period: Int = 30): String =
        "otpauth://totp/Teste:conta?secret=${base32(key)}&algorithm=$algorithm&digits=$digits&period=$period"
}
