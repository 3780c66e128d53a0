package br.app.a2feproc.core.tests

import br.app.a2feproc.core.A2fException
import br.app.a2feproc.core.OtpAlgorithm
import br.app.a2feproc.core.OtpType
import br.app.a2feproc.core.parseImport
import br.app.a2feproc.core.previewCode
import java.io.File
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue

class ImportTest {
    private val key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    @Test
    fun previewOfAnEprocUri() {
        val previews = parseImport(
            "otpauth://totp/eproc%20TRF4:12345678900?secret=$key&issuer=eproc%20TRF4&algorithm=SHA512&digits=8&period=60",
        )
        val p = previews.single()
        assertEquals(OtpType.TOTP, p.kind)
        assertEquals("eproc TRF4", p.issuer)
        assertEquals("12345678900", p.account)
        assertEquals(OtpAlgorithm.SHA512, p.algorithm)
        assertEquals(8.toUByte(), p.digits)
        assertEquals(60.toUInt(), p.period)
        assertEquals(null, p.counter)
        assertEquals(listOf("trf4", "jfpr", "jfsc", "jfrs"), p.suggestedSystems)
        assertEquals(emptyList(), p.warnings)
        assertFalse(p.toString().contains(key), "a preview never carries the key")
    }

    @Test
    fun previewOfATypedKeyHasEprocDefaults() {
        val p = parseImport("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").single()
        assertEquals(OtpType.TOTP, p.kind)
        assertEquals(OtpAlgorithm.SHA1, p.algorithm)
        assertEquals(6.toUByte(), p.digits)
        assertEquals(30.toUInt(), p.period)
        assertEquals(null, p.issuer)
        assertEquals(null, p.account)
        assertEquals(emptyList(), p.suggestedSystems)
    }

    @Test
    fun hotpAndWarnings() {
        val p = parseImport("otpauth://hotp/Teste:x?secret=JBSWY3DPEHPK3PXP&counter=7\nresto").single()
        assertEquals(OtpType.HOTP, p.kind)
        assertEquals(null, p.period)
        assertEquals(7.toULong(), p.counter)
        assertEquals(listOf("short_key", "trailing_text_ignored"), p.warnings.map { it.code })
        assertTrue(p.warnings.all { it.message.isNotBlank() })
    }

    @Test
    fun googleTransferGivesEveryAccountWithItsCodes() {
        // scripts/kotlin-tests passes the shared fixtures folder.
        val fixtures = System.getProperty("eproc.fixtures") ?: error("set -Deproc.fixtures=DIR")
        val text = File(fixtures, "google-migration-1-of-2.txt").readText()
        val previews = parseImport(text)
        assertEquals(listOf("eproc TRF4", "TJRS", null), previews.map { it.issuer })
        assertEquals(listOf("12345678900", "joao@adv.br", "hotp-test"), previews.map { it.account })
        assertEquals(listOf(OtpType.TOTP, OtpType.TOTP, OtpType.HOTP), previews.map { it.kind })
        assertEquals(listOf(OtpAlgorithm.SHA1, OtpAlgorithm.SHA256, OtpAlgorithm.SHA1), previews.map { it.algorithm })
        assertEquals(7.toULong(), previews[2].counter)
        assertEquals(listOf("tjrs-1g", "tjrs-2g"), previews[1].suggestedSystems)

        // The RFC seeds at t = 59: codes in the same order as the previews.
        val codes = previewCode(text, 59)
        assertEquals(listOf("287082", "46119246", "162583"), codes.map { it.code })
        assertEquals(listOf(1.toUInt(), 1.toUInt(), null), codes.map { it.validFor })
    }

    @Test
    fun badInputArrivesAsInvalidInputWithTheCoreCode() {
        val cases = mapOf(
            "" to "empty_input",
            "https://eproc.trf4.jus.br/" to "unsupported_scheme",
            "JBSWY3DP" to "key_too_short",
            "Olá, mundo! Que dia lindo." to "unrecognized_input",
            "otpauth://totp/x" to "missing_secret",
            "otpauth://steam/x?secret=$key" to "unsupported_otp_type",
            "otpauth://totp/x?secret=$key&digits=9" to "invalid_digits",
            "otpauth://totp/x?secret=$key&period=0" to "invalid_period",
            "otpauth://totp/x?secret=$key&algorithm=MD5" to "unsupported_algorithm",
            "otpauth://hotp/x?secret=$key" to "missing_counter",
            "otpauth://totp/x?secret=$key&secret=$key" to "duplicate_parameter",
            "A".repeat(1000) to "secret_too_long",
            "A".repeat(300 * 1024) to "input_too_large",
        )
        for ((input, code) in cases) {
            val e = assertFailsWith<A2fException.InvalidInput>(input.take(40)) { parseImport(input) }
            assertEquals(code, e.code, input.take(40))
            assertTrue(e.detail.isNotBlank())
            // The same input fails the same way when previewing codes.
            val again = assertFailsWith<A2fException.InvalidInput> { previewCode(input, 0) }
            assertEquals(code, again.code)
        }
    }

    @Test
    fun errorsNeverQuoteTheKey() {
        // Caught as the base class, as an app's catch-all would.
        val caught = assertFailsWith<A2fException> { parseImport("${key}1") }
        val e = assertIs<A2fException.InvalidInput>(caught)
        assertEquals("invalid_secret_character", e.code)
        assertFalse(e.detail.contains("GEZD"))
        assertFalse(e.message.orEmpty().contains("GEZD"))
    }

    @Test
    fun timeBefore1970IsRejected() {
        val e = assertFailsWith<A2fException.InvalidInput> { previewCode(key, -1) }
        assertEquals("time_out_of_range", e.code)
        assertEquals(1, previewCode(key, 0).size)
    }
}
