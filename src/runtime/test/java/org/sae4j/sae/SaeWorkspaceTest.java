package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * The workspace entry points against the double-precision {@link SaeReference}, for every architecture and
 * normalisation, at batch 1 (the GEMV route) and at a batch (the GEMM route).
 */
final class SaeWorkspaceTest {

    private static final int BATCH = 7;
    private static final int D_IN = SaeFixtures.D_IN;

    static Stream<Arguments> cases() {
        return SaeInferenceTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchReferenceWhenEncodingOneRow(String name, SaeConfig config) {
        SaeWeights weights = SaeFixtures.weights(config, name.hashCode() + 11L);
        float[] x = SaeFixtures.gaussian(name.hashCode() + 13L, D_IN, 1.5, 0.2);
        try (Sae sae = Sae.of(config, weights)) {
            SaeInferenceTest.checkAll(sae, new SaeReference(config, weights), config, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldEqualTheAllocatingEntryPointsWhenGivenAWorkspace(String name, SaeConfig config) {
        SaeWeights weights = SaeFixtures.weights(config, name.hashCode() + 17L);
        float[] x = SaeFixtures.gaussian(name.hashCode() + 19L, BATCH * D_IN, 1.0, -0.1);
        SaeReference reference = new SaeReference(config, weights);
        try (Sae sae = Sae.of(config, weights);
             SaeWorkspace ws = sae.newWorkspace(BATCH);
             TensorArena arena = new TensorArena("workspace-test")) {
            MemorySegment xs = segment(arena, x);
            MemorySegment z = arena.allocateFloats((long) BATCH * config.dSae());
            z.fill((byte) 0xff);
            for (int repeat = 0; repeat < 2; repeat++) {
                sae.encode(DenseMatrix.f32(xs, BATCH, D_IN), DenseMatrix.f32(z, BATCH, config.dSae()), ws);
                float[] dense = z.toArray(Layouts.F32);
                SaeInferenceTest.checkCodes(reference.encode(x), dense, config);
                assertArrayEquals(sae.encode(x), dense, "workspace encode equals encode, repeat " + repeat);

                SparseCode codes = SparseCode.withCapacity(BATCH, config.dSae(), BATCH * config.dSae());
                sae.encodeSparse(DenseMatrix.f32(xs, BATCH, D_IN), codes, ws);
                for (int r = 0; r < BATCH; r++) {
                    float[] row = Arrays.copyOfRange(dense, r * config.dSae(), (r + 1) * config.dSae());
                    assertArrayEquals(row, codes.denseRow(r), "sparse row " + r);
                }

                MemorySegment out = arena.allocateFloats((long) BATCH * config.dOut());
                sae.forward(DenseMatrix.f32(xs, BATCH, D_IN), DenseMatrix.f32(out, BATCH, config.dOut()), ws);
                assertArrayEquals(sae.forward(x), out.toArray(Layouts.F32), "workspace forward equals forward");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldEqualTheSingleRowBatchWhenEncodingOneOnArrays(String name, SaeConfig config) {
        SaeWeights weights = SaeFixtures.weights(config, name.hashCode() + 23L);
        try (Sae sae = Sae.of(config, weights); SaeWorkspace ws = sae.newWorkspace(3)) {
            int[] indices = new int[config.dSae()];
            float[] values = new float[config.dSae()];
            float[] out = new float[config.dOut()];
            for (int sample = 0; sample < 4; sample++) {
                float[] x = SaeFixtures.gaussian(name.hashCode() + 29L * sample, D_IN, 1.2, 0.1);
                int active = sae.encodeOne(x, indices, values, ws);
                SparseCode expected = sae.encodeSparse(x);
                assertArrayEquals(expected.rowIndices(0), Arrays.copyOf(indices, active), "indices, sample " + sample);
                assertArrayEquals(Arrays.copyOf(expected.values(), expected.nnz()), Arrays.copyOf(values, active),
                        "values, sample " + sample);
                sae.forwardOne(x, out, ws);
                assertArrayEquals(sae.forward(x), out, "forwardOne, sample " + sample);
            }
        }
    }

    @Test
    void shouldRejectArraysAndWorkspacesThatDoNotFit() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, D_IN, 40).withK(5);
        SaeConfig other = SaeConfig.of(SaeArchitecture.TOPK, D_IN, 41).withK(5);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 3));
             Sae wider = Sae.of(other, SaeFixtures.weights(other, 3));
             SaeWorkspace ws = sae.newWorkspace(2);
             SaeWorkspace wrong = wider.newWorkspace(2);
             TensorArena arena = new TensorArena("workspace-test")) {
            float[] x = new float[D_IN];
            IllegalArgumentException shortArrays = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encodeOne(x, new int[4], new float[5], ws));
            assertEquals("indices and values need 5 entries (min(k, d_sae)), have 4 and 5",
                    shortArrays.getMessage());
            sae.encodeOne(x, new int[5], new float[5], ws);  // exactly min(k, d_sae) entries are enough
            IllegalArgumentException shape = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encodeOne(x, new int[5], new float[5], wrong));
            assertEquals("workspace is for d_in 24, d_sae 41, d_out 24, k 5; the model has 24, 40, 24, 5",
                    shape.getMessage());
            MemorySegment xs = arena.allocateFloats(3L * D_IN);
            IllegalArgumentException batch = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encode(DenseMatrix.f32(xs, 3, D_IN), DenseMatrix.f32(arena.allocateFloats(3L * 40), 3, 40), ws));
            assertEquals("batch 3 exceeds the workspace's maxBatch 2", batch.getMessage());
            IllegalArgumentException width = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.forwardOne(new float[D_IN + 1], new float[D_IN], ws));
            assertEquals("x has 25 values, expected 24", width.getMessage());
            IllegalArgumentException empty = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.newWorkspace(0));
            assertEquals("maxBatch must be >= 1, got 0", empty.getMessage());
        }
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, 40);
        try (Sae sae = Sae.of(standard, SaeFixtures.weights(standard, 4)); SaeWorkspace ws = sae.newWorkspace(1)) {
            IllegalArgumentException dense = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encodeOne(new float[D_IN], new int[39], new float[40], ws));
            assertEquals("indices and values need 40 entries (d_sae), have 39 and 40", dense.getMessage());
        }
    }

    @Test
    void shouldFailWhenTheWorkspaceIsClosed() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, 40);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 5))) {
            SaeWorkspace ws = sae.newWorkspace(1);
            ws.close();
            assertThrows(IllegalStateException.class,
                    () -> sae.encodeOne(new float[D_IN], new int[40], new float[40], ws));
        }
    }

    static MemorySegment segment(TensorArena arena, float[] values) {
        MemorySegment segment = arena.allocateFloats(values.length);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }
}
