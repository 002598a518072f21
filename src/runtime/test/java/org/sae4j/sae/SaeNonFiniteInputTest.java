package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.io.NonFiniteInputException;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Every encode, forward and decode entry point of {@link Sae} refuses NaN and infinite inputs with
 * {@link NonFiniteInputException} naming the row and column, before writing any output, and works on as before
 * with the same workspace once the input is finite.
 */
final class SaeNonFiniteInputTest {

    private static final int D_IN = SaeFixtures.D_IN;
    private static final int D_SAE = SaeFixtures.D_SAE;
    private static final int BATCH = 5;
    /** Whatever an output held before a refused call, it still holds. */
    private static final float SENTINEL = 42f;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("standard", SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE)),
                Arguments.of("topk layer_norm", SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(6)
                        .withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("jumprelu", SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE)),
                Arguments.of("skip_transcoder", SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, D_IN, D_SAE)
                        .withDOut(D_IN / 2)));
    }

    private static MemorySegment filled(TensorArena arena, long floats) {
        MemorySegment segment = arena.allocateFloats(floats);
        for (long i = 0; i < floats; i++) {
            segment.setAtIndex(Layouts.F32, i, SENTINEL);
        }
        return segment;
    }

    private static void assertUntouched(MemorySegment segment, String what) {
        for (long i = 0; i < segment.byteSize() / Float.BYTES; i++) {
            assertEquals(SENTINEL, segment.getAtIndex(Layouts.F32, i), what + " element " + i);
        }
    }

    private static void assertRefused(String expected, Executable call) {
        assertEquals(expected, assertThrowsExactly(NonFiniteInputException.class, call).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldRefuseEveryBatchEntryPointWhenOneInputValueIsNotFinite(String name, SaeConfig config) {
        float[] clean = SaeFixtures.gaussian(71, BATCH * D_IN, 1.0, 0.1);
        float[] x = clean.clone();
        x[3 * D_IN + 17] = Float.NaN;
        String expected = "input row 3, column 17: NaN (inputs must be finite)";
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 70));
             SaeWorkspace ws = sae.newWorkspace(BATCH);
             TensorArena arena = new TensorArena("non-finite-test")) {
            MemorySegment input = SaeWorkspaceTest.segment(arena, x);
            MemorySegment z = filled(arena, (long) BATCH * D_SAE);
            MemorySegment out = filled(arena, (long) BATCH * sae.dOut());
            SparseCode codes = SparseCode.withCapacity(BATCH, D_SAE, BATCH * D_SAE);
            DenseMatrix xm = DenseMatrix.f32(input, BATCH, D_IN);
            DenseMatrix zm = DenseMatrix.f32(z, BATCH, D_SAE);
            DenseMatrix outm = DenseMatrix.f32(out, BATCH, sae.dOut());
            assertRefused(expected, () -> sae.encode(x));
            assertRefused(expected, () -> sae.encodeSparse(x));
            assertRefused(expected, () -> sae.forward(x));
            assertRefused(expected, () -> sae.encode(xm, zm));
            assertRefused(expected, () -> sae.encode(xm, zm, ws));
            assertRefused(expected, () -> sae.encodeSparse(xm, codes));
            assertRefused(expected, () -> sae.encodeSparse(xm, codes, ws));
            assertRefused(expected, () -> sae.forward(xm, outm));
            assertRefused(expected, () -> sae.forward(xm, outm, ws));
            assertUntouched(z, name + " codes");
            assertUntouched(out, name + " reconstruction");
            if (!config.architecture().isTranscoder()) {
                assertRefused(expected, () -> sae.errorTerm(x));
            }
            // the refused calls left the workspace fit for use: a finite batch gives what a fresh workspace gives
            MemorySegment.copy(clean, 0, input, Layouts.F32, 0, clean.length);
            sae.forward(xm, outm, ws);
            assertArrayEquals(sae.forward(clean), out.toArray(Layouts.F32), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shouldRefuseOneRowWhenItHoldsAnInfinityAndLeaveTheOutputsUntouched(String name, SaeConfig config) {
        float[] clean = SaeFixtures.gaussian(72, D_IN, 1.0, 0.1);
        int[] indices = new int[D_SAE];
        float[] values = new float[D_SAE];
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 70));
             SaeWorkspace ws = sae.newWorkspace(1)) {
            float[] out = new float[sae.dOut()];
            float[] positive = clean.clone();
            positive[0] = Float.POSITIVE_INFINITY;
            float[] negative = clean.clone();
            negative[D_IN - 1] = Float.NEGATIVE_INFINITY;
            Arrays.fill(values, SENTINEL);
            Arrays.fill(out, SENTINEL);
            assertRefused("input row 0, column 0: Infinity (inputs must be finite)",
                    () -> sae.encodeOne(positive, indices, values, ws));
            assertRefused("input row 0, column 23: -Infinity (inputs must be finite)",
                    () -> sae.forwardOne(negative, out, ws));
            assertArrayEquals(filledArray(D_SAE), values, name + " values");
            assertArrayEquals(filledArray(sae.dOut()), out, name + " out");
            float[] expected = new float[sae.dOut()];
            try (SaeWorkspace fresh = sae.newWorkspace(1)) {
                sae.forwardOne(clean, expected, fresh);
            }
            sae.forwardOne(clean, out, ws);
            assertArrayEquals(expected, out, name);
        }
    }

    private static float[] filledArray(int n) {
        float[] values = new float[n];
        Arrays.fill(values, SENTINEL);
        return values;
    }

    @Test
    void shouldRefuseTheWatchListWhenTheInputHoldsANaN() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        float[] x = SaeFixtures.gaussian(73, 2 * D_IN, 1.0, 0.1);
        x[D_IN + 4] = Float.NaN;
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 70));
             WatchList watch = sae.watchList(3, 9);
             SaeWorkspace ws = sae.newWorkspace(2);
             TensorArena arena = new TensorArena("non-finite-test")) {
            MemorySegment out = filled(arena, 4);
            assertRefused("input row 1, column 4: NaN (inputs must be finite)",
                    () -> watch.encode(DenseMatrix.f32(SaeWorkspaceTest.segment(arena, x), 2, D_IN),
                            DenseMatrix.f32(out, 2, 2), ws));
            assertRefused("input row 0, column 4: NaN (inputs must be finite)",
                    () -> watch.encodeOne(Arrays.copyOfRange(x, D_IN, 2 * D_IN), new float[2], ws));
            assertUntouched(out, "watched codes");
        }
    }

    @Test
    void shouldRefuseCodesWhenAValueIsNotFinite() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 70));
             TensorArena arena = new TensorArena("non-finite-test")) {
            SparseCode sparse = SparseCode.ofCsr(D_SAE, new int[] {0, 1, 3},
                    new int[] {2, 5, 31}, new float[] {0.5f, 1.5f, Float.NEGATIVE_INFINITY});
            MemorySegment out = filled(arena, 2L * D_IN);
            assertRefused("codes row 1, column 31: -Infinity (inputs must be finite)", () -> sae.decode(sparse, DenseMatrix.f32(out, 2, D_IN)));
            assertRefused("codes row 1, column 31: -Infinity (inputs must be finite)", () -> sae.decode(sparse));
            assertUntouched(out, "decoded");
            float[] dense = new float[3 * D_SAE];
            dense[2 * D_SAE + 7] = Float.NaN;
            assertRefused("codes row 2, column 7: NaN (inputs must be finite)", () -> sae.decodeDense(dense));
            assertRefused("codes row 2, column 7: NaN (inputs must be finite)",
                    () -> sae.decodeDense(DenseMatrix.f32(SaeWorkspaceTest.segment(arena, dense), 3, D_SAE),
                            DenseMatrix.f32(filled(arena, 3L * D_IN), 3, D_IN)));
            dense[2 * D_SAE + 7] = 0f;
            float[] bias = sae.weights().decoderBias();
            assertArrayEquals(bias, Arrays.copyOfRange(sae.decodeDense(dense), 2 * D_IN, 3 * D_IN));
        }
    }
}
