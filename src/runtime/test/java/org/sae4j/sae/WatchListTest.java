package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;
import org.sae4j.testing.Tolerance;

/**
 * Watch-lists give bit-identical values to the full encode at the watched columns: both run the same kernels on the
 * same rows, and every kernel computes an output element in an order independent of its neighbours.
 */
final class WatchListTest {

    private static final int D_IN = SaeFixtures.D_IN;
    private static final int D_SAE = SaeFixtures.D_SAE;
    private static final int[] WATCHED = {37, 3, 0, 22, 39, 11};

    static Stream<Arguments> cases() {
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeConfig jumprelu = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        return Stream.of(
                Arguments.of("standard", standard),
                Arguments.of("standard layer_norm", standard.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("standard constant_norm_rescale",
                        standard.withNormalisation(Normalisation.CONSTANT_NORM_RESCALE)),
                Arguments.of("jumprelu", jumprelu),
                Arguments.of("jumprelu without b_dec on input", jumprelu.withApplyBDecToInput(false)),
                Arguments.of("gated", SaeConfig.of(SaeArchitecture.GATED, D_IN, D_SAE)),
                Arguments.of("transcoder", SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE).withDOut(17)),
                Arguments.of("jumprelu transcoder",
                        SaeConfig.of(SaeArchitecture.JUMPRELU_TRANSCODER, D_IN, D_SAE).withDOut(17)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldEqualFullEncodeBitForBitWhenWatchingASubset(String name, SaeConfig config) {
        SaeWeights weights = SaeFixtures.weights(config, name.hashCode() + 41L);
        try (Sae fp32 = Sae.of(config, weights); Sae bf16 = fp32.withBf16Weights()) {
            for (Sae sae : new Sae[] {fp32, bf16}) {
                for (int batch : new int[] {1, 2, 9}) {
                    checkColumns(sae, batch, SaeFixtures.gaussian(name.hashCode() + batch, batch * D_IN, 1.3, 0.2),
                            name);
                }
            }
        }
    }

    private static void checkColumns(Sae sae, int batch, float[] x, String name) {
        int watched = WATCHED.length;
        try (WatchList watch = sae.watchList(WATCHED);
             SaeWorkspace ws = sae.newWorkspace(batch);
             TensorArena arena = new TensorArena("watch-test")) {
            float[] full = sae.encode(x);
            MemorySegment out = arena.allocateFloats((long) batch * watched);
            out.fill((byte) 0xff);
            watch.encode(DenseMatrix.f32(SaeWorkspaceTest.segment(arena, x), batch, sae.dIn()),
                    DenseMatrix.f32(out, batch, watched), ws);
            float[] one = new float[watched];
            int active = 0;
            for (int r = 0; r < batch; r++) {
                float[] row = new float[D_IN];
                System.arraycopy(x, r * D_IN, row, 0, D_IN);
                watch.encodeOne(row, one, ws);
                for (int s = 0; s < watched; s++) {
                    String where = name + " " + sae + " batch " + batch + " row " + r + " latent " + WATCHED[s];
                    float expected = full[r * D_SAE + WATCHED[s]];
                    Tolerance.assertBitExact(expected, out.getAtIndex(Layouts.F32, (long) r * watched + s), where);
                    if (batch == 1) {
                        Tolerance.assertBitExact(expected, one[s], where + " (encodeOne)");
                    }
                    active += expected != 0f ? 1 : 0;
                }
            }
            assertTrue(active > 0, "some watched latents must fire: " + name);
        }
    }

    @Test
    void shouldRefuseTopKWithTheReason() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(4);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 43))) {
            IllegalArgumentException refused = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.watchList(1, 2));
            assertEquals("a watch-list cannot encode a topk SAE: whether a latent is kept depends on the "
                    + "pre-activations of the other latents (all of them for topk, its group for groupmax), not only "
                    + "the watched ones", refused.getMessage());
        }
    }

    @Test
    void shouldRejectDuplicateMissingAndOutOfRangeLatents() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 47))) {
            assertEquals("latent 5 is listed twice", assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.watchList(5, 7, 5)).getMessage());
            assertEquals("latent 40 is outside [0, 40)", assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.watchList(1, 40)).getMessage());
            assertEquals("latent -1 is outside [0, 40)", assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.watchList(-1)).getMessage());
            assertEquals("a watch-list needs at least one latent", assertThrowsExactly(
                    IllegalArgumentException.class, () -> sae.watchList()).getMessage());
            try (WatchList watch = sae.watchList(3, 1); SaeWorkspace ws = sae.newWorkspace(1)) {
                assertEquals("x needs 24 values and out 2, got 24 and 3", assertThrowsExactly(
                        IllegalArgumentException.class,
                        () -> watch.encodeOne(new float[D_IN], new float[3], ws)).getMessage());
            }
        }
    }
}
