package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.spi.TopKHeap;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/**
 * Top-k selection of every provider: the same indices and values as the scalar oracle (ties to the lower index, NaN
 * lowest) on random data, heavy ties, NaN and ±Inf, monotonic rows, for k = 0, 1, n and k > n; the streaming merge
 * leaves the same heap as the scalar one and, over any split of a row, selects what topK selects on the whole row.
 */
@Tag("kernel")
final class TopKConformanceTest {

    private static final long[] SEEDS = {17L, 31337L};

    /** Input families; each stresses a different path of a filtered scan. */
    private static final String[] KINDS = {
        "gaussian", "ties", "corners", "nanHeavy", "nanPrefix", "ascending", "descending", "negInfHeavy"
    };

    private static final int ENCODER_WIDTH = 16384;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[] sizes = IntStream.concat(Arrays.stream(TestData.sizes()), IntStream.of(ENCODER_WIDTH)).toArray();
        for (ProviderCase provider : Providers.all()) {
            for (int n : sizes) {
                for (String kind : KINDS) {
                    for (long seed : SEEDS) {
                        int offset = TestData.OFFSETS[(int) ((n + seed + kind.length()) % TestData.OFFSETS.length)];
                        cases.add(Arguments.of(provider, n, kind, offset, seed));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1} {2} off={3} seed={4}")
    @MethodSource("cases")
    void shouldSelectExactlyTheScalarResultWhenTopK(ProviderCase pc, int n, String kind, int offset, long seed) {
        float[] x = data(kind, seed, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = TestData.floats(arena, x, offset);
            for (int k : ks(n)) {
                int count = Math.min(k, n);
                int off = k % 3;
                int[] expectedIndices = new int[off + count];
                float[] expectedValues = new float[off + count];
                int[] actualIndices = new int[off + count];
                float[] actualValues = new float[off + count];
                String context = pc.label() + " n=" + n + " " + kind + " off=" + offset + " seed=" + seed + " k=" + k;
                assertEquals(count, Providers.scalar().topK(n, segment, offset, k, expectedIndices, expectedValues,
                        off), context + " scalar count");
                assertEquals(count, pc.provider().topK(n, segment, offset, k, actualIndices, actualValues, off),
                        context + " count");
                assertSameSelection(expectedIndices, expectedValues, actualIndices, actualValues, off, count,
                        context);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} {2} off={3} seed={4}")
    @MethodSource("cases")
    void shouldRankLikeAFullSortWhenTopK(ProviderCase pc, int n, String kind, int offset, long seed) {
        if (n > 4096) {
            return;
        }
        float[] x = data(kind, seed, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> TopKHeap.ranksAbove(x[a], a, x[b], b) ? -1
                : TopKHeap.ranksAbove(x[b], b, x[a], a) ? 1 : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = TestData.floats(arena, x, offset);
            for (int k : ks(n)) {
                int count = Math.min(k, n);
                int[] expected = new int[count];
                for (int r = 0; r < count; r++) {
                    expected[r] = order[r];
                }
                Arrays.sort(expected);
                int[] indices = new int[count];
                float[] values = new float[count];
                String context = pc.label() + " n=" + n + " " + kind + " off=" + offset + " seed=" + seed + " k=" + k;
                pc.provider().topK(n, segment, offset, k, indices, values, 0);
                for (int r = 0; r < count; r++) {
                    assertEquals(expected[r], indices[r], context + " rank-sorted position " + r);
                    Tolerance.assertBitExact(x[expected[r]], values[r], context + " value at position " + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} {2} off={3} seed={4}")
    @MethodSource("cases")
    void shouldLeaveTheScalarHeapWhenTopKMergeStreamsSegments(ProviderCase pc, int n, String kind, int offset,
                                                             long seed) {
        float[] x = data(kind, seed, n);
        SplittableRandom random = new SplittableRandom(seed * 31 + n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = TestData.floats(arena, x, offset);
            for (int k : ks(n)) {
                int heapOff = 1 + k % 2;
                int[] expectedIndices = new int[heapOff + k];
                float[] expectedValues = new float[heapOff + k];
                int[] actualIndices = new int[heapOff + k];
                float[] actualValues = new float[heapOff + k];
                int expectedSize = 0;
                int actualSize = 0;
                String context = pc.label() + " n=" + n + " " + kind + " off=" + offset + " seed=" + seed + " k=" + k;
                int start = 0;
                while (start < n) {
                    // Segments of random length, empty ones included, up to a few vectors of the widest species.
                    int length = Math.min(n - start, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(200));
                    expectedSize = Providers.scalar().topKMerge(length, segment, offset + start, start, k,
                            expectedIndices, expectedValues, heapOff, expectedSize);
                    actualSize = pc.provider().topKMerge(length, segment, offset + start, start, k, actualIndices,
                            actualValues, heapOff, actualSize);
                    assertEquals(expectedSize, actualSize, context + " size after column " + (start + length));
                    assertSameSelection(expectedIndices, expectedValues, actualIndices, actualValues, heapOff,
                            actualSize, context + " heap after column " + (start + length));
                    start += length;
                }
                int count = Math.min(k, n);
                int[] wholeIndices = new int[count];
                float[] wholeValues = new float[count];
                Providers.scalar().topK(n, segment, offset, k, wholeIndices, wholeValues, 0);
                TopKHeap.sortByIndex(actualIndices, actualValues, heapOff, actualSize);
                assertEquals(count, actualSize, context + " merged count");
                assertSameSelection(wholeIndices, wholeValues, Arrays.copyOfRange(actualIndices, heapOff,
                        heapOff + count), Arrays.copyOfRange(actualValues, heapOff, heapOff + count), 0, count,
                        context + " merged vs whole row");
            }
        }
    }

    private static void assertSameSelection(int[] expectedIndices, float[] expectedValues, int[] actualIndices,
                                            float[] actualValues, int off, int count, String context) {
        for (int r = 0; r < count; r++) {
            // Messages are built only on a mismatch: the merge test compares large heaps after every segment.
            if (expectedIndices[off + r] != actualIndices[off + r]) {
                assertEquals(expectedIndices[off + r], actualIndices[off + r], context + " index at position " + r);
            }
            float e = expectedValues[off + r];
            float a = actualValues[off + r];
            if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a)) {
                Tolerance.assertBitExact(e, a,
                        context + " value at position " + r + " (index " + actualIndices[off + r] + ")");
            }
        }
    }

    /** k = 0, 1, 2, the encoder's 32, around half, n − 1, n and beyond n. */
    private static int[] ks(int n) {
        return IntStream.of(0, 1, 2, 32, n / 2, n - 1, n, n + 3).filter(k -> k >= 0).distinct().toArray();
    }

    private static float[] data(String kind, long seed, int n) {
        float[] x = TestData.gaussian(seed, n);
        SplittableRandom random = new SplittableRandom(seed ^ n);
        float[] small = {-1f, -0f, 0f, 0.5f, 1f, 2f};
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case "gaussian" -> { }
                case "ties" -> x[i] = small[random.nextInt(small.length)];
                case "corners" -> { }
                case "nanHeavy" -> x[i] = random.nextInt(5) < 3 ? Float.NaN : x[i];
                case "nanPrefix" -> x[i] = i < 40 ? Float.NaN : x[i];
                case "ascending" -> x[i] = i * 0.25f;
                case "descending" -> x[i] = -i * 0.25f;
                case "negInfHeavy" -> x[i] = random.nextInt(8) != 0 ? Float.NEGATIVE_INFINITY : x[i];
                default -> throw new IllegalArgumentException(kind);
            }
        }
        return "corners".equals(kind) ? TestData.withCorners(seed, n) : x;
    }
}
