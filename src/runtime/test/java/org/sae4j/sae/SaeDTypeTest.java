package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rounding of the writable dtypes, checked on values whose correct rounding follows from the formats' bit counts. */
final class SaeDTypeTest {

    @Test
    void shouldRoundBfloat16TiesToEven() {
        // bf16 keeps 7 fraction bits: spacing 2^-7 just above 1
        assertEquals(1f, SaeDType.BFLOAT16.round(1f + 0x1.0p-8f), "tie between 1 and 1+2^-7 goes to even 1");
        assertEquals(1f + 0x1.0p-6f, SaeDType.BFLOAT16.round(1f + 3 * 0x1.0p-8f), "tie goes to the even neighbour");
        assertEquals(1f + 0x1.0p-7f, SaeDType.BFLOAT16.round(1f + 0x1.0p-8f + 0x1.0p-20f), "above the tie rounds up");
        assertEquals(-2f, SaeDType.BFLOAT16.round(-2f - 0x1.0p-8f), "sign kept, tie to even");
    }

    @Test
    void shouldRoundFloat16TiesToEvenAndOverflowPast65504() {
        // f16 keeps 10 fraction bits: spacing 2^-10 just above 1
        assertEquals(1f, SaeDType.FLOAT16.round(1f + 0x1.0p-11f));
        assertEquals(1f + 0x1.0p-9f, SaeDType.FLOAT16.round(1f + 3 * 0x1.0p-11f));
        assertEquals(65504f, SaeDType.FLOAT16.round(65504f));
        assertTrue(SaeDType.FLOAT16.represents(65519f), "below the midpoint to 2^16 rounds to 65504");
        assertFalse(SaeDType.FLOAT16.represents(65520f), "the midpoint rounds to infinity");
        assertEquals(0x1.0p-24f, SaeDType.FLOAT16.round(0x1.8p-25f), "subnormal f16 rounding");
    }

    @Test
    void shouldStayWithinTheRoundingBound() {
        float[] samples = {1e-30f, 3.3e-7f, 0.1f, 1f / 3, 7.77f, 1234.567f, 60000f, -0.37f, 1e-6f, 5.9e-8f};
        for (SaeDType dtype : SaeDType.values()) {
            for (float x : samples) {
                if (!dtype.represents(x)) {
                    continue;
                }
                double error = Math.abs((double) dtype.round(x) - x);
                assertTrue(error <= dtype.roundingBound(x), dtype + " " + x + " error " + error);
            }
        }
    }

    @Test
    void shouldParseTorchSpellingsAndRejectOthers() {
        assertEquals(SaeDType.BFLOAT16, SaeDType.parse("torch.bfloat16"));
        assertEquals(SaeDType.FLOAT16, SaeDType.parse("half"));
        assertEquals(SaeDType.FLOAT32, SaeDType.parse("Float32"));
        assertEquals(SaeDType.FLOAT32, SaeDType.nearest("float64"));
        assertEquals("dtype 'int8' cannot be written (supported: [float32, bfloat16, float16])",
                assertThrowsExactly(IllegalArgumentException.class, () -> SaeDType.parse("int8")).getMessage());
    }
}
