package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;
import org.sae4j.testing.Tolerance;

/**
 * The sparsify groupmax rule and skip connections: pinned semantics on exactly representable pre-activations, the
 * bf16 route against the double-precision oracle, where the skip term appears, and the refusals around both.
 */
final class SaeGroupMaxAndSkipTest {

    private static final int D_IN = SaeFixtures.D_IN;
    private static final int D_SAE = SaeFixtures.D_SAE;
    private static final int BATCH = 5;

    @TempDir
    Path dir;

    /** A model whose encoder is zero, so every pre-activation is exactly its bias. */
    private static Sae biasOnly(SaeConfig config, float[] bias) {
        return Sae.of(config, SaeWeights.of(new float[config.dSae() * config.dIn()], bias,
                SaeFixtures.gaussian(3, config.dSae() * config.dOut(), 1, 0), new float[config.dOut()]));
    }

    @Test
    void shouldKeepEachGroupsFirstMaximumAndDropZeroGroups() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.GROUPMAX, 2, 8).withK(4);
        // groups {0,1} tie at 1 -> latent 0; {2,3} all negative -> none; {4,5} -> 5; {6,7} zero and negative -> none
        float[] bias = {1f, 1f, -1f, -0.5f, 0.3f, 0.9f, 0f, -2f};
        float[] expected = {1f, 0f, 0f, 0f, 0f, 0.9f, 0f, 0f};
        try (Sae sae = biasOnly(config, bias); SaeWorkspace ws = sae.newWorkspace(1)) {
            float[] row = {0.5f, -0.25f};
            assertArrayEquals(expected, sae.encode(row), "dense, one row (GEMV route)");
            assertArrayEquals(new int[] {0, 5}, sae.encodeSparse(row).rowIndices(0), "sparse, one row");
            int[] indices = new int[4];
            float[] values = new float[4];
            assertEquals(2, sae.encodeOne(row, indices, values, ws));
            assertArrayEquals(new int[] {0, 5}, java.util.Arrays.copyOf(indices, 2));
            assertArrayEquals(new float[] {1f, 0.9f}, java.util.Arrays.copyOf(values, 2));

            float[] three = {0.5f, -0.25f, 2f, 1f, -3f, 0f};
            SparseCode batch = sae.encodeSparse(three);
            float[] dense = sae.encode(three);
            for (int r = 0; r < 3; r++) {
                assertArrayEquals(new int[] {0, 5}, batch.rowIndices(r), "sparse, batch (fused route), row " + r);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(dense, r * 8, r * 8 + 8), "dense row " + r);
            }
        }
    }

    static Stream<Arguments> bf16Cases() {
        return Stream.of(
                Arguments.of("groupmax k=8", SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(8), false),
                Arguments.of("topk k=6 with W_skip", SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(6), true),
                Arguments.of("skip transcoder layer_norm", SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, D_IN, D_SAE)
                        .withDOut(17).withNormalisation(Normalisation.LAYER_NORM), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bf16Cases")
    void shouldMatchReferenceOnBf16Weights(String name, SaeConfig config, boolean addSkip) {
        SaeWeights fixture = SaeFixtures.weights(config, name.hashCode());
        fixture = addSkip ? SaeFixtures.withSkip(config, fixture, name.hashCode()) : fixture;
        // weights already on the bf16 grid: the bf16 model holds them exactly, so the fp32 oracle and bounds apply
        SaeWeights weights = new SaeWeights(bf16Grid(fixture.encoder()), fixture.encoderBias(),
                bf16Grid(fixture.decoder()), fixture.decoderBias(), null, null, null, fixture.skip());
        float[] x = SaeFixtures.gaussian(name.hashCode() + 1L, 7 * D_IN, 1.0, 0.2);
        try (Sae fp32 = Sae.of(config, weights); Sae bf16 = fp32.withBf16Weights()) {
            assertEquals(DType.BF16, bf16.weightPrecision());
            assertEquals(fp32.hasSkip(), bf16.hasSkip());
            SaeInferenceTest.checkAll(bf16, new SaeReference(config, weights), config, x);
            float[] single = java.util.Arrays.copyOf(x, D_IN);
            SaeInferenceTest.checkAll(bf16, new SaeReference(config, weights), config, single);
        }
    }

    @Test
    void shouldAddSkipTermInForwardButNotInDecode() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, D_IN, D_SAE).withDOut(17)
                .withNormalisation(Normalisation.CONSTANT_NORM_RESCALE);
        SaeWeights weights = SaeFixtures.weights(config, 71);
        SaeWeights withoutSkip = weights.withSkip(null);
        float[] x = SaeFixtures.gaussian(72, BATCH * D_IN, 1.0, 0.3);
        try (Sae sae = Sae.of(config, weights);
             Sae dictionaryOnly = Sae.of(SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE).withDOut(17)
                     .withNormalisation(Normalisation.CONSTANT_NORM_RESCALE), withoutSkip)) {
            assertTrue(sae.hasSkip());
            assertFalse(dictionaryOnly.hasSkip());
            SparseCode codes = sae.encodeSparse(x);
            assertArrayEquals(dictionaryOnly.decode(codes), sae.decode(codes), "decode is the dictionary part");
            float[] forward = sae.forward(x);
            float[] dictionary = dictionaryOnly.forward(x);
            double[][] skip = new SaeReference(config, weights).skipTerm(x);
            for (int at = 0; at < forward.length; at++) {
                // the skip product may accumulate onto the dictionary part: a sum of d_in + 1 terms
                double bound = skip[1][at] + 2 * Tolerance.gamma(D_IN + 1) * Math.abs(dictionary[at]);
                Tolerance.assertWithin(dictionary[at] + skip[0][at], forward[at], bound, "forward [" + at + "]");
            }
            try (SaeWorkspace ws = sae.newWorkspace(BATCH); TensorArena arena = new TensorArena("skip-test")) {
                MemorySegment xs = SaeWorkspaceTest.segment(arena, x);
                MemorySegment out = arena.allocateFloats((long) BATCH * 17);
                SparseCode returned = sae.forward(DenseMatrix.f32(xs, BATCH, sae.dIn()), DenseMatrix.f32(out, BATCH, 17), ws);
                assertArrayEquals(forward, out.toArray(Layouts.F32), "workspace forward equals forward");
                assertArrayEquals(x, xs.toArray(Layouts.F32), "x is not modified");
                for (int r = 0; r < BATCH; r++) {
                    assertArrayEquals(codes.denseRow(r), returned.denseRow(r), "returned codes, row " + r);
                }
                try (SaeWorkspace one = sae.newWorkspace(1)) {
                    float[] row = java.util.Arrays.copyOfRange(x, D_IN, 2 * D_IN);
                    float[] single = new float[17];
                    sae.forwardOne(row, single, one);
                    float[] expected = sae.forward(row);
                    assertArrayEquals(expected, single, "forwardOne equals forward of the same row");
                    assertArrayEquals(java.util.Arrays.copyOfRange(x, D_IN, 2 * D_IN), row, "row not modified");
                }
            }
        }
    }

    @Test
    void shouldReturnTheCodesItDecodedFromForward() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(10)
                .withNormalisation(Normalisation.LAYER_NORM);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 81));
             SaeWorkspace ws = sae.newWorkspace(BATCH);
             TensorArena arena = new TensorArena("forward-codes")) {
            float[] x = SaeFixtures.gaussian(82, BATCH * D_IN, 1.5, 0.5);
            MemorySegment out = arena.allocateFloats((long) BATCH * D_IN);
            SparseCode codes = sae.forward(DenseMatrix.f32(SaeWorkspaceTest.segment(arena, x), BATCH, D_IN),
                    DenseMatrix.f32(out, BATCH, D_IN), ws);
            SparseCode alone = sae.encodeSparse(x);
            assertEquals(alone.nnz(), codes.nnz());
            for (int r = 0; r < BATCH; r++) {
                assertArrayEquals(alone.denseRow(r), codes.denseRow(r), "row " + r);
                assertTrue(codes.nnz(r) <= 10, "at most one latent per group");
            }
            assertArrayEquals(sae.forward(x), out.toArray(Layouts.F32));
        }
    }

    @Test
    void shouldRefuseSkipMatricesThatDoNotFit() {
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, 4, 6);
        SaeWeights weights = SaeFixtures.weights(standard, 5);
        assertEquals("W_skip is given but standard has no skip connection (skip_transcoder, topk and groupmax do)",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Sae.of(standard, weights.withSkip(new float[16]))).getMessage());
        SaeConfig skip = SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, 4, 6).withDOut(3);
        SaeWeights skipWeights = SaeFixtures.weights(skip, 6);
        assertEquals("W_skip is missing: skip_transcoder needs a [d_out, d_in] skip matrix",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Sae.of(skip, skipWeights.withSkip(null))).getMessage());
        assertEquals("W_skip has 16 values, expected [d_out, d_in] = 12", assertThrowsExactly(
                IllegalArgumentException.class, () -> Sae.of(skip, skipWeights.withSkip(new float[16])))
                .getMessage());
        assertFalse(skip.applyBDecToInput(), "a skip transcoder, like every transcoder, does not centre its input");
    }

    @Test
    void shouldRefuseGroupMaxWhereItCannotBeExpressed() {
        assertEquals("groupmax splits the latents into k equal groups: k 6 must divide d_sae 40",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(6)).getMessage());
        assertTrue(assertThrowsExactly(IllegalArgumentException.class,
                () -> SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(0)).getMessage()
                .startsWith("k must be > 0 for topk and groupmax"));
        SaeConfig config = SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(8);
        SaeWeights weights = SaeFixtures.weights(config, 9);
        try (Sae sae = Sae.of(config, weights)) {
            assertTrue(assertThrowsExactly(IllegalArgumentException.class, () -> sae.watchList(1, 2)).getMessage()
                    .startsWith("a watch-list cannot encode a groupmax SAE"));
        }
        assertEquals("SAELens has no groupmax architecture (a sparsify activation): write it with SparsifyWriter",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> SaeWriter.write(dir, config, weights)).getMessage());
        SaeConfig topk = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(4);
        SaeWeights topkSkip = SaeFixtures.withSkip(topk, SaeFixtures.weights(topk, 10), 10);
        assertEquals("SAELens has no skip connection for topk (only skip_transcoder has W_skip): write it with "
                + "SparsifyWriter", assertThrowsExactly(IllegalArgumentException.class,
                        () -> SaeWriter.write(dir, topk, topkSkip)).getMessage());
        assertTrue(assertThrowsExactly(IllegalArgumentException.class,
                () -> SaeFolding.foldDecoderNorms(config, weights)).getMessage()
                .startsWith("cannot fold decoder norms into a groupmax SAE"));
        assertFalse(Files.exists(dir.resolve("cfg.json")), "nothing written");
    }

    @Test
    void shouldRefuseGroupMaxInSaeLensConfig() throws IOException {
        Files.writeString(dir.resolve("cfg.json"), "{\"architecture\": \"groupmax\", \"d_in\": 4, \"d_sae\": 8, "
                + "\"metadata\": {\"sae_lens_version\": \"6.1.0\"}}");
        String message = assertThrowsExactly(SaeFormatException.class,
                () -> SaeLensConfigReader.read(dir.resolve("cfg.json"))).getMessage();
        assertTrue(message.contains("key 'architecture' value 'groupmax' is not supported"), message);
        assertFalse(message.contains("groupmax,"), "groupmax is not offered as a SAELens architecture: " + message);
    }

    /** Every value narrowed to bf16 (round to nearest even) and widened exactly. */
    private static float[] bf16Grid(float[] values) {
        try (TensorArena arena = new TensorArena("bf16-grid")) {
            MemorySegment narrow = arena.allocateBf16(values.length);
            Kernels.narrowToBf16(values.length, SaeWorkspaceTest.segment(arena, values), 0, narrow, 0);
            float[] widened = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                widened[i] = Float.intBitsToFloat(narrow.getAtIndex(Layouts.BF16, i) << 16);
            }
            return widened;
        }
    }
}
