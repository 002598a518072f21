package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * The streaming encoder behind {@code sae4j encode}: segments in, CSR codes from its own buffer or dense codes where
 * the caller says, identical to the model's one-shot encodes.
 */
final class BatchEncoderTest {

    private static final int D_IN = 24;
    private static final int D_SAE = 96;

    @Test
    void shouldGiveTheModelsCodesFromItsBuffersForEveryBatch() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        try (Sae sae = Sae.of(config, weights(config, 5));
             BatchEncoder encoder = EncodingMethod.AMORTISED.open(sae, 16, 0, Float.NaN);
             TensorArena arena = new TensorArena("batch-encoder-test")) {
            MemorySegment dense = arena.allocateFloats(16L * D_SAE);
            SparseCode previous = null;
            for (int batch : new int[] {16, 7, 16}) {
                float[] x = gaussian(batch * 31L, batch * D_IN);
                MemorySegment segment = arena.allocateFloats(x.length);
                MemorySegment.copy(x, 0, segment, Layouts.F32, 0, x.length);
                SparseCode expected = sae.encodeSparse(x);
                SparseCode codes = encoder.encode(DenseMatrix.f32(segment, batch, D_IN));
                if (previous != null) {
                    assertSame(previous, codes, "one buffer for the whole stream once it is large enough");
                }
                previous = codes;
                assertEquals(expected.rows(), codes.rows());
                for (int r = 0; r < batch; r++) {
                    assertArrayEquals(expected.denseRow(r), codes.denseRow(r), "row " + r + " of " + batch);
                }
                long nnz = encoder.encodeDense(DenseMatrix.f32(segment, batch, D_IN), DenseMatrix.f32(dense, batch, D_SAE));
                assertEquals(expected.nnz(), nnz);
                assertArrayEquals(sae.encode(x), Arrays.copyOf(dense.toArray(Layouts.F32), batch * D_SAE));
            }
        }
    }

    @Test
    void shouldRefineWithFistaIntoDenseAndSparseAlike() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        try (Sae sae = Sae.of(config, weights(config, 6));
             BatchEncoder encoder = EncodingMethod.FISTA.open(sae, 8, 10, 0.05f);
             TensorArena arena = new TensorArena("batch-encoder-fista")) {
            float[] x = gaussian(9, 8 * D_IN);
            MemorySegment segment = arena.allocateFloats(x.length);
            MemorySegment.copy(x, 0, segment, Layouts.F32, 0, x.length);
            MemorySegment dense = arena.allocateFloats(8L * D_SAE);
            long nnz = encoder.encodeDense(DenseMatrix.f32(segment, 8, D_IN), DenseMatrix.f32(dense, 8, D_SAE));
            SparseCode codes = encoder.encode(DenseMatrix.f32(segment, 8, D_IN));
            assertEquals(nnz, codes.nnz());
            float[] denseValues = dense.toArray(Layouts.F32);
            for (int r = 0; r < 8; r++) {
                assertArrayEquals(Arrays.copyOfRange(denseValues, r * D_SAE, (r + 1) * D_SAE), codes.denseRow(r),
                        "row " + r);
            }
            assertEquals(0.05f, encoder.lambda());
        }
    }

    @Test
    void shouldRefuseBatchesLargerThanItWasOpenedFor() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        try (Sae sae = Sae.of(config, weights(config, 7));
             BatchEncoder encoder = EncodingMethod.AMORTISED.open(sae, 4, 0, Float.NaN);
             TensorArena arena = new TensorArena("batch-encoder-limits")) {
            MemorySegment x = arena.allocateFloats(5L * D_IN);
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    () -> encoder.encode(DenseMatrix.f32(x, 5, D_IN)));
            assertEquals("batch of 5 rows outside [0, 4]", e.getMessage());
        }
    }

    private static SaeWeights weights(SaeConfig config, long seed) {
        return new StandardSaeReference(config.dIn(), config.dSae(), seed).weights();
    }

    private static float[] gaussian(long seed, int n) {
        return StandardSaeReference.gaussian(seed, n, 1.0, 0.0);
    }
}
