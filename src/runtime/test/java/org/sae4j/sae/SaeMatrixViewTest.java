package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/** The DenseMatrix entry points: strided inputs give the packed results, bad views are refused by name. */
final class SaeMatrixViewTest {

    private static final int BATCH = 5;
    private static final int D_IN = SaeFixtures.D_IN;
    /** Row stride of the strided input, with a gap of 7 floats after each row. */
    private static final int STRIDE = D_IN + 7;
    /** Element offset of the strided input's row 0. */
    private static final long OFFSET = 3;

    static Stream<Arguments> cases() {
        return SaeInferenceTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldGiveThePackedResultsForAStridedInputView(String name, SaeConfig config) {
        float[] x = SaeFixtures.gaussian(name.hashCode() + 5L, BATCH * D_IN, 1.0, 0.1);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 90));
             SaeWorkspace ws = sae.newWorkspace(BATCH);
             TensorArena arena = new TensorArena("matrix-view-test")) {
            MemorySegment wide = arena.allocateFloats(OFFSET + (long) BATCH * STRIDE);
            wide.fill((byte) 0xff);  // NaN in the gaps: reading one would be refused as non-finite
            for (int r = 0; r < BATCH; r++) {
                MemorySegment.copy(x, r * D_IN, wide, Layouts.F32, (OFFSET + (long) r * STRIDE) * Float.BYTES, D_IN);
            }
            DenseMatrix strided = new DenseMatrix(wide, DType.F32, OFFSET, BATCH, D_IN, STRIDE);

            DenseMatrix z = DenseMatrix.f32(arena.allocateFloats((long) BATCH * sae.dSae()), BATCH, sae.dSae());
            sae.encode(strided, z, ws);
            assertArrayEquals(sae.encode(x), z.segment().toArray(Layouts.F32), name + " encode");

            SparseCode codes = sae.encodeSparse(strided, ws);
            SparseCode expected = sae.encodeSparse(x);
            for (int r = 0; r < BATCH; r++) {
                assertArrayEquals(expected.denseRow(r), codes.denseRow(r), name + " sparse row " + r);
            }

            DenseMatrix out = DenseMatrix.f32(arena.allocateFloats((long) BATCH * sae.dOut()), BATCH, sae.dOut());
            sae.forward(strided, out, ws);
            assertArrayEquals(sae.forward(x), out.segment().toArray(Layouts.F32), name + " forward");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseABf16ViewAWrongWidthAndAStridedOutput(String name, SaeConfig config) {
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 91));
             SaeWorkspace ws = sae.newWorkspace(BATCH);
             TensorArena arena = new TensorArena("matrix-view-test")) {
            DenseMatrix z = DenseMatrix.f32(arena.allocateFloats((long) BATCH * sae.dSae()), BATCH, sae.dSae());
            DenseMatrix bf16 = new DenseMatrix(arena.allocateBf16((long) BATCH * D_IN), DType.BF16, 0, BATCH, D_IN,
                    D_IN);
            IllegalArgumentException dtype = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encode(bf16, z, ws));
            assertEquals("x is a BF16 view; fp32 (DType.F32) rows are required", dtype.getMessage());
            assertThrowsExactly(IllegalArgumentException.class, () -> sae.encodeSparse(bf16, ws));

            DenseMatrix narrow = DenseMatrix.f32(arena.allocateFloats((long) BATCH * (D_IN - 1)), BATCH, D_IN - 1);
            IllegalArgumentException width = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.forward(narrow, DenseMatrix.f32(arena.allocateFloats((long) BATCH * sae.dOut()), BATCH,
                            sae.dOut()), ws));
            assertEquals("x has " + (D_IN - 1) + " columns, d_in is " + D_IN, width.getMessage());

            DenseMatrix x = DenseMatrix.f32(arena.allocateFloats((long) BATCH * D_IN), BATCH, D_IN);
            DenseMatrix wideZ = new DenseMatrix(arena.allocateFloats((long) BATCH * (sae.dSae() + 1)), DType.F32, 0,
                    BATCH, sae.dSae(), sae.dSae() + 1);
            IllegalArgumentException stride = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encode(x, wideZ, ws));
            assertTrue(stride.getMessage().startsWith("z has row stride " + (sae.dSae() + 1)), stride.getMessage());
            DenseMatrix shortZ = z.rows(0, BATCH - 1);
            IllegalArgumentException rows = assertThrowsExactly(IllegalArgumentException.class,
                    () -> sae.encode(x, shortZ, ws));
            assertEquals("z has " + (BATCH - 1) + " rows, the input has " + BATCH, rows.getMessage());
        }
    }
}
