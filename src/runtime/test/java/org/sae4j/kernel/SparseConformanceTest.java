package org.sae4j.kernel;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * Sparse decoding (gather-axpy) of every provider, bit-exact against the scalar oracle: the rows are added in order
 * of t with fused multiply-adds, so any provider that keeps that order per element agrees bit for bit.
 */
@Tag("kernel")
final class SparseConformanceTest {

    private static final long[] SEEDS = {13L, 777L};

    private static final int ROWS = 40;

    /** No term, one term, a partial group, a group plus one, and repeated rows (32 terms drawn from 40 rows). */
    private static final int[] NNZ = {0, 1, 3, 5, 32};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int d : TestData.sizes()) {
                for (int offset : TestData.OFFSETS) {
                    for (long seed : SEEDS) {
                        cases.add(Arguments.of(provider, d, offset, seed));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} d={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenGatherAxpy(ProviderCase pc, int d, int offset, long seed) {
        int ldw = d + 2 * offset + 1;
        float[] w = TestData.withCorners(seed, ROWS * ldw);
        float[] y = TestData.withCorners(seed + 1, d);
        SplittableRandom random = new SplittableRandom(seed);
        for (int nnz : NNZ) {
            int off = nnz % 3;
            int[] indices = new int[off + nnz];
            float[] values = new float[off + nnz];
            float[] coefficients = TestData.withCorners(seed + nnz, nnz);
            for (int t = 0; t < nnz; t++) {
                indices[off + t] = random.nextInt(ROWS);
                values[off + t] = coefficients[t];
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment dictionary = TestData.floats(arena, w, offset);
                MemorySegment expected = TestData.floats(arena, y, 1);
                MemorySegment actual = TestData.floats(arena, y, offset);
                Providers.scalar().gatherAxpy(nnz, indices, values, off, dictionary, offset, ldw, d, expected, 1);
                pc.provider().gatherAxpy(nnz, indices, values, off, dictionary, offset, ldw, d, actual, offset);
                for (int j = 0; j < d; j++) {
                    Tolerance.assertBitExact(expected.getAtIndex(F32, 1 + j), actual.getAtIndex(F32, offset + j),
                            pc.label() + " d=" + d + " off=" + offset + " seed=" + seed + " nnz=" + nnz
                                    + " index " + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} d={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenGatherAxpyRowsAreOrdinary(ProviderCase pc, int d, int offset, long seed) {
        // Without corner values the sums stay finite, so a change in summation order would show in the low bits.
        int ldw = d + offset;
        float[] w = TestData.gaussian(seed, ROWS * ldw);
        float[] y = TestData.gaussian(seed + 1, d);
        int nnz = 32;
        int[] indices = new int[nnz];
        float[] values = TestData.gaussian(seed + 2, nnz);
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < nnz; t++) {
            indices[t] = random.nextInt(ROWS);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dictionary = TestData.floats(arena, w, offset);
            MemorySegment expected = TestData.floats(arena, y, offset);
            MemorySegment actual = TestData.floats(arena, y, offset);
            Providers.scalar().gatherAxpy(nnz, indices, values, 0, dictionary, offset, ldw, d, expected, offset);
            pc.provider().gatherAxpy(nnz, indices, values, 0, dictionary, offset, ldw, d, actual, offset);
            for (int j = 0; j < d; j++) {
                Tolerance.assertBitExact(expected.getAtIndex(F32, offset + j), actual.getAtIndex(F32, offset + j),
                        pc.label() + " d=" + d + " off=" + offset + " seed=" + seed + " index " + j);
            }
        }
    }
}
