package br.app.a2feproc.core.tests

import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import java.util.Random
import kotlin.test.Test
import kotlin.test.assertEquals

class CodesTest {
    private val seed20 = "12345678901234567890".toByteArray()
    private val seed32 = "12345678901234567890123456789012".toByteArray()
    private val seed64 = "1234567890123456789012345678901234567890123456789012345678901234".toByteArray()

    /** RFC 6238 Appendix B: time, then the SHA1, SHA256 and SHA512 codes. */
    private val rfc6238 = listOf(
        59L to listOf("94287082", "46119246", "90693936"),
        1111111109L to listOf("07081804", "68084774", "25091201"),
        1111111111L to listOf("14050471", "67062674", "99943326"),
        1234567890L to listOf("89005924", "91819424", "93441116"),
        2000000000L to listOf("69279037", "90698825", "38618901"),
        20000000000L to listOf("65353130", "77737706", "47863826"),
    )

    @Test
    fun rfc6238VectorsThroughTheFfi() {
        val keys = listOf("SHA1" to seed20, "SHA256" to seed32, "SHA512" to seed64)
        for ((time, codes) in rfc6238) {
            for ((i, pair) in keys.withIndex()) {
                val (algorithm, seed) = pair
                // The key is given in Kotlin, base32-encoded here, not by the core.
                val uri = Reference.uri(seed, algorithm, digits = 8)
                val view = previewCode(uri, time).single()
                assertEquals(codes[i], view.code, "$algorithm at $time")
                assertEquals(Reference.totp(seed, time, 30, algorithm, 8), view.code)
                assertEquals((30 - time % 30).toUInt(), view.validFor)
            }
        }
    }

    @Test
    fun rfc4226VectorsThroughTheFfi() {
        val expected = listOf(
            "755224", "287082", "359152", "969429", "338314",
            "254676", "287922", "162583", "399871", "520489",
        )
        for (counter in 0 until expected.size - 1) {
            val uri = "otpauth://hotp/x?secret=${Reference.base32(seed20)}&counter=$counter"
            val view = previewCode(uri, 1_700_000_000).single()
            assertEquals(expected[counter], view.code, "counter $counter")
            assertEquals(expected[counter + 1], view.next, "after counter $counter")
            assertEquals(null, view.validFor)
        }
    }

    @Test
    fun nextCodeIsTheFollowingStep() {
        val uri = Reference.uri(seed20)
        val at29 = previewCode(uri, 29).single()
        val at30 = previewCode(uri, 30).single()
        assertEquals(1.toUInt(), at29.validFor)
        assertEquals(30.toUInt(), at30.validFor)
        assertEquals(at30.code, at29.next)
    }

    @Test
    fun randomKeysAgreeWithTheJvmReference() {
        val random = Random(6238)
        val algorithms = listOf("SHA1", "SHA256", "SHA512")
        repeat(300) {
            val key = ByteArray(10 + random.nextInt(55)).also(random::nextBytes)
            val algorithm = algorithms[random.nextInt(algorithms.size)]
            val digits = 6 + random.nextInt(3)
            val period = listOf(15, 30, 60, 3600)[random.nextInt(4)]
            val time = random.nextLong() ushr 24 // up to year ~35000: far beyond 2038 and 2106
            val uri = Reference.uri(key, algorithm, digits, period)
            val view = previewCode(uri, time).single()
            val case = "$algorithm/$digits/$period at $time"
            assertEquals(Reference.totp(key, time, period, algorithm, digits), view.code, case)
            assertEquals(Reference.hotp(key, time / period + 1, algorithm, digits), view.next, case)
            assertEquals((period - time % period).toUInt(), view.validFor, case)
        }
    }

    @Test
    fun theLastSecondStillHasACode() {
        val view = previewCode(Reference.uri(seed20), Long.MAX_VALUE).single()
        assertEquals(Reference.totp(seed20, Long.MAX_VALUE, 30, "SHA1", 6), view.code)
    }

    @Test
    fun previewsAndCodesComeInTheSameOrder() {
        val text = Reference.uri(seed20)
        assertEquals(parseImport(text).size, previewCode(text, 0).size)
    }
}
