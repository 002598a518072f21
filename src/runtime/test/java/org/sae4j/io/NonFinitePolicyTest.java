package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.TensorArena;

/** {@link NonFinitePolicy} on row blocks, on paired inputs and targets, and on whole files. */
final class NonFinitePolicyTest {

    @TempDir
    Path dir;

    /** Five rows of three: rows 1 (NaN) and 3 (−Inf, then +Inf) are not finite. */
    private static float[] block() {
        return new float[] {
            1, 2, 3,
            4, Float.NaN, 6,
            7, 8, 9,
            Float.NEGATIVE_INFINITY, 11, Float.POSITIVE_INFINITY,
            13, 14, 15};
    }

    @Test
    void shouldThrowAtTheFirstNonFiniteValueWhenRefusing() {
        float[] values = block();
        NonFiniteInputException e = assertThrowsExactly(NonFiniteInputException.class,
                () -> NonFinitePolicy.REFUSE.apply(values, 5, 3, "x.npy", 40));
        assertEquals("x.npy row 41, column 1: NaN (inputs must be finite)", e.getMessage());
        assertArrayEquals(block(), values);
    }

    @Test
    void shouldMoveFiniteRowsUpWhenSkipping() {
        float[] values = block();
        assertEquals(2, NonFinitePolicy.SKIP_ROWS.apply(values, 5, 3, "x.npy", 0));
        float[] kept = java.util.Arrays.copyOf(values, 9);
        assertArrayEquals(new float[] {1, 2, 3, 7, 8, 9, 13, 14, 15}, kept);
    }

    @Test
    void shouldZeroWholeRowsWhenZeroing() {
        float[] values = block();
        assertEquals(2, NonFinitePolicy.ZERO_ROWS.apply(values, 5, 3, "x.npy", 0));
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 7, 8, 9, 0, 0, 0, 13, 14, 15}, values);
    }

    @Test
    void shouldLeaveAFiniteBlockUnchangedWhateverThePolicy() {
        float[] clean = {1, -2, 3, 0.5f, -0f, 1e-40f};
        for (NonFinitePolicy policy : NonFinitePolicy.values()) {
            float[] values = clean.clone();
            assertEquals(0, policy.apply(values, 2, 3, "x.npy", 0), policy.name());
            assertArrayEquals(clean, values, policy.name());
        }
    }

    @Test
    void shouldSkipAPairWhenEitherMatrixHoldsANonFiniteValue() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};                        // [4, 2], all finite
        float[] y = {10, 20, 30, 40, 50, Float.NaN, 70, 80, 90, 100, 110, 120}; // [4, 3], row 1 not finite
        x[6] = Float.POSITIVE_INFINITY;                                         // x row 3 not finite
        assertEquals(2, NonFinitePolicy.SKIP_ROWS.apply(x, 2, "x.npy", y, 3, "y.npy", 4, 0));
        assertArrayEquals(new float[] {1, 2, 5, 6}, java.util.Arrays.copyOf(x, 4));
        assertArrayEquals(new float[] {10, 20, 30, 70, 80, 90}, java.util.Arrays.copyOf(y, 6));
    }

    @Test
    void shouldReportTheTargetWhenOnlyItHoldsANonFiniteValue() {
        float[] x = {1, 2, 3, 4};
        float[] y = {1, 2, Float.NEGATIVE_INFINITY, 4};
        assertEquals("y.npy row 8, column 0: -Infinity (inputs must be finite)",
                assertThrowsExactly(NonFiniteInputException.class,
                        () -> NonFinitePolicy.REFUSE.apply(x, 2, "x.npy", y, 2, "y.npy", 2, 7)).getMessage());
    }

    @Test
    void shouldZeroEachMatrixOwnRowsWhenZeroingAPair() {
        float[] x = {1, 2, Float.NaN, 4};
        float[] y = {5, Float.NaN, 7, 8};
        assertEquals(2, NonFinitePolicy.ZERO_ROWS.apply(x, 2, "x.npy", y, 2, "y.npy", 2, 0));
        assertArrayEquals(new float[] {1, 2, 0, 0}, x);
        assertArrayEquals(new float[] {0, 0, 7, 8}, y);
    }

    @Test
    void shouldCountOrRefuseNonFiniteRowsWhenCheckingNpyAndSafetensorsFiles() throws IOException {
        Path npy = dir.resolve("x.npy");
        NpyWriter.writeFloats(npy, new long[] {5, 3}, block());
        Path tensors = dir.resolve("acts.safetensors");
        new SafetensorsWriter().addFloats("resid", SafetensorsDType.F16, new long[] {5, 3}, block()).write(tensors);
        Path clean = dir.resolve("clean.npy");
        NpyWriter.writeFloats(clean, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        try (TensorArena arena = new TensorArena("policy-test")) {
            ActivationFile x = ActivationFile.open(npy, null, arena);
            assertEquals(npy + " row 1, column 1: NaN (inputs must be finite)",
                    assertThrowsExactly(NonFiniteInputException.class, () -> NonFinitePolicy.REFUSE.check(x))
                            .getMessage());
            assertEquals(2, NonFinitePolicy.SKIP_ROWS.check(x));
            assertEquals(2, NonFinitePolicy.ZERO_ROWS.check(x));
            ActivationFile named = ActivationFile.open(tensors, "resid", arena);
            assertEquals(tensors + " tensor 'resid' row 1, column 1: NaN (inputs must be finite)",
                    assertThrowsExactly(NonFiniteInputException.class, () -> NonFinitePolicy.REFUSE.check(named))
                            .getMessage());
            float[] rows = named.readRows(3, 1);
            assertEquals("-Infinity Infinity", rows[0] + " " + rows[2]);
            assertEquals(0, NonFinitePolicy.REFUSE.check(ActivationFile.open(clean, null, arena)));
        }
    }

    @Test
    void shouldReadTheCommandLineSpellingsWhenParsingAName() {
        assertSame(NonFinitePolicy.REFUSE, NonFinitePolicy.byOptionName("refuse"));
        assertSame(NonFinitePolicy.SKIP_ROWS, NonFinitePolicy.byOptionName("skip"));
        assertSame(NonFinitePolicy.ZERO_ROWS, NonFinitePolicy.byOptionName("ZERO"));
        assertSame(NonFinitePolicy.REFUSE, NonFinitePolicy.defaultPolicy());
        assertEquals("unknown non-finite policy 'drop'; expected refuse, skip or zero",
                assertThrowsExactly(IllegalArgumentException.class, () -> NonFinitePolicy.byOptionName("drop"))
                        .getMessage());
    }
}
