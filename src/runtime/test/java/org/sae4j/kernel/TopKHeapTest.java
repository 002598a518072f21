package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sae4j.kernel.spi.TopKHeap;

@Tag("kernel")
final class TopKHeapTest {

    @Test
    void shouldRankNanBelowNegativeInfinityAndTiesToTheLowerIndex() {
        assertTrue(TopKHeap.ranksAbove(Float.NEGATIVE_INFINITY, 9, Float.NaN, 0));
        assertFalse(TopKHeap.ranksAbove(Float.NaN, 0, Float.NEGATIVE_INFINITY, 9));
        assertTrue(TopKHeap.ranksAbove(1f, 2, 1f, 3));
        assertFalse(TopKHeap.ranksAbove(1f, 3, 1f, 2));
        assertTrue(TopKHeap.ranksAbove(Float.NaN, 1, Float.NaN, 2));
        assertTrue(TopKHeap.ranksAbove(0f, 4, -0f, 5));
        assertTrue(TopKHeap.ranksAbove(-0f, 4, 0f, 5));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void shouldKeepTheSameSetAsAFullSortWhenStreaming(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 500;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            x[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : random.nextInt(20) - 10f;
        }
        for (int k : new int[] {0, 1, 7, 32, 499, 500}) {
            int[] indices = new int[k];
            float[] values = new float[k];
            int size = 0;
            for (int i = 0; i < n; i++) {
                size = TopKHeap.offer(x[i], i, k, indices, values, 0, size);
            }
            TopKHeap.sortByIndex(indices, values, 0, size);
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer, Integer>comparing(i -> Float.isNaN(x[i]) ? 1 : 0)
                            .thenComparing(i -> -x[i]).thenComparing(i -> i))
                    .limit(k).mapToInt(Integer::intValue).sorted().toArray();
            assertArrayEquals(expected, Arrays.copyOf(indices, size), "seed " + seed + ", k " + k);
            for (int t = 0; t < size; t++) {
                assertTrue(Float.compare(x[indices[t]], values[t]) == 0, "value follows its index");
            }
        }
    }
}
