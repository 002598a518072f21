package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Group maxima (sparsify's groupmax) of every provider: the same indices and the same value bits as the scalar oracle,
 * and as a plain array scan written here, for every divisor of the standard sizes as the group count, for group widths
 * around every lane count, on ReLU outputs, heavy ties with ±0, NaN (first, inside, everywhere) and ±Inf.
 */
@Tag("kernel")
final class GroupMaxConformanceTest {

    private static final long[] SEEDS = {5L, 271828L};

    /** Input families; each stresses a different path (seed, fold, first-equal search, tail, NaN fallback). */
    private static final String[] KINDS = {
        "relu", "gaussian", "corners", "ties", "nanFirst", "nanHeavy", "infinities", "maxInTail"
    };

    /** Group widths L−1, L, L+1, 2L+3 for L ∈ {4, 8, 16}, and one of a 768 → 24,576 model with k = 64. */
    private static final int[] WIDTHS = {3, 4, 5, 7, 8, 9, 11, 15, 16, 17, 19, 35, 384};

    /** Group counts for the width family. */
    private static final int[] GROUPS = {1, 2, 7, 64};

    /** Provider × every standard size × offset × seed; the group counts are every divisor of n. */
    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    /** Provider × group width × offset × seed; the group counts are {@link #GROUPS}. */
    static Stream<Arguments> widthCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int width : WIDTHS) {
                for (int offset : TestData.OFFSETS) {
                    for (long seed : SEEDS) {
                        cases.add(Arguments.of(provider, width, offset, seed));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarExactlyForEveryGroupCountWhenGroupMax(ProviderCase pc, int n, int offset, long seed) {
        if (n == 0) {
            checkAllKinds(pc, 0, 0, offset, seed);
        }
        for (int groups = 1; groups <= n; groups++) {
            if (n % groups == 0) {
                checkAllKinds(pc, n, groups, offset, seed);
            }
        }
    }

    @ParameterizedTest(name = "{0} width={1} off={2} seed={3}")
    @MethodSource("widthCases")
    void shouldMatchScalarExactlyForWidthsAroundTheLaneCountsWhenGroupMax(ProviderCase pc, int width, int offset,
                                                                          long seed) {
        for (int groups : GROUPS) {
            checkAllKinds(pc, groups * width, groups, offset, seed + groups);
        }
    }

    /** Hand-made groups of width 33 (two vectors of 16 lanes and a tail of one) with the expected answers. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void shouldFollowTheDocumentedRulesWhenGroupMax(ProviderCase pc) {
        int width = 33;
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        List<float[]> groups = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        // −0 first, +0 later: they tie, so the first element is reported with its own sign.
        groups.add(filled(width, -0f, 20, 0f));
        expected.add(0);
        // +0 first, −0 later: index 0, value +0.
        groups.add(filled(width, 0f, 5, -0f));
        expected.add(0);
        // NaN first: the scan never leaves it, even with larger numbers after it.
        groups.add(filled(width, 1f, 0, nan, 4, 9f));
        expected.add(0);
        // NaN inside, two equal maxima: the first of them.
        groups.add(filled(width, 1f, 5, nan, 10, 7f, 30, 7f));
        expected.add(10);
        // The maximum only in the tail.
        groups.add(filled(width, -3f, 7, -1f, 32, 9f));
        expected.add(32);
        // A number first, NaN everywhere else.
        float[] nanAfterFirst = filled(width, nan);
        nanAfterFirst[0] = 2f;
        groups.add(nanAfterFirst);
        expected.add(0);
        // −∞ everywhere with one NaN: the first −∞.
        groups.add(filled(width, Float.NEGATIVE_INFINITY, 3, nan));
        expected.add(0);
        // +∞ at the end of the vectors and in the tail: the first +∞.
        groups.add(filled(width, 1f, 31, inf, 32, inf));
        expected.add(31);
        // The maximum in the last lane of the first vector, beaten by nothing later (only equal values).
        groups.add(filled(width, 0.5f, 15, 4f, 16, 4f, 17, 4f));
        expected.add(15);
        int n = width * groups.size();
        float[] x = new float[n];
        for (int g = 0; g < groups.size(); g++) {
            System.arraycopy(groups.get(g), 0, x, g * width, width);
        }
        for (int offset : TestData.OFFSETS) {
            try (Arena arena = Arena.ofConfined()) {
                int[] indices = new int[groups.size() + 2];
                float[] values = new float[groups.size() + 2];
                pc.provider().groupMax(n, groups.size(), TestData.floats(arena, x, offset), offset, indices, values,
                        2);
                for (int g = 0; g < groups.size(); g++) {
                    int index = g * width + expected.get(g);
                    String where = pc.label() + " off=" + offset + " group " + g + " expected index " + index
                            + " (x=" + x[index] + ")";
                    assertEquals(index, indices[2 + g], where);
                    assertEquals(Float.floatToRawIntBits(x[index]), Float.floatToRawIntBits(values[2 + g]), where
                            + " value bits");
                }
            }
        }
    }

    static Stream<Arguments> providers() {
        return Providers.all().stream().map(Arguments::of);
    }

    private static void checkAllKinds(ProviderCase pc, int n, int groups, int offset, long seed) {
        for (String kind : KINDS) {
            float[] x = data(kind, seed, n, groups);
            String context = pc.label() + " n=" + n + " groups=" + groups + " " + kind + " off=" + offset + " seed="
                    + seed;
            int off = groups % 3;
            int[] oracleIndices = arrayScan(x, groups);
            int[] expectedIndices = new int[off + groups];
            float[] expectedValues = new float[off + groups];
            int[] actualIndices = new int[off + groups];
            float[] actualValues = new float[off + groups];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segment = TestData.floats(arena, x, offset);
                Providers.scalar().groupMax(n, groups, segment, offset, expectedIndices, expectedValues, off);
                pc.provider().groupMax(n, groups, segment, offset, actualIndices, actualValues, off);
                // Nothing before off is written, and x is not modified.
                for (int t = 0; t < off; t++) {
                    assertEquals(0, actualIndices[t], context + " index slot " + t + " before off");
                    assertEquals(0, Float.floatToRawIntBits(actualValues[t]), context + " value slot " + t
                            + " before off");
                }
                float[] after = TestData.read(segment, offset, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(after[i]),
                            context + " x modified at index " + i);
                }
            }
            for (int g = 0; g < groups; g++) {
                int width = n / groups;
                int expected = expectedIndices[off + g];
                int actual = actualIndices[off + g];
                String where = context + " group " + g + " [" + g * width + ", " + (g + 1) * width + ") first x="
                        + x[g * width] + " expected index " + expected + " (x=" + x[expected] + ") actual index "
                        + actual + (actual >= 0 && actual < n ? " (x=" + x[actual] + ")" : "");
                assertEquals(oracleIndices[g], expected, where + ": the scalar reference left the array scan");
                assertEquals(expected, actual, where);
                assertEquals(Float.floatToRawIntBits(expectedValues[off + g]),
                        Float.floatToRawIntBits(actualValues[off + g]), where + " value bits");
                assertEquals(Float.floatToRawIntBits(x[expected]), Float.floatToRawIntBits(actualValues[off + g]),
                        where + " value is not the element's own");
            }
        }
    }

    /** The groupmax rule as an array loop: the best index moves only on a strictly greater value. */
    private static int[] arrayScan(float[] x, int groups) {
        int[] best = new int[groups];
        if (groups == 0) {
            return best;
        }
        int width = x.length / groups;
        for (int g = 0; g < groups; g++) {
            best[g] = g * width;
            for (int j = best[g] + 1; j < (g + 1) * width; j++) {
                if (x[j] > x[best[g]]) {
                    best[g] = j;
                }
            }
        }
        return best;
    }

    private static float[] data(String kind, long seed, int n, int groups) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        float[] x = TestData.gaussian(seed, n);
        int width = groups == 0 ? 0 : n / groups;
        switch (kind) {
            case "relu" -> {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.max(x[i], 0f);
                }
            }
            case "gaussian" -> {
            }
            case "corners" -> x = TestData.withCorners(seed, n);
            case "ties" -> {
                float[] pool = {0f, -0f, 1f, 2f, 2f};
                for (int i = 0; i < n; i++) {
                    x[i] = pool[random.nextInt(pool.length)];
                }
            }
            case "nanFirst" -> {
                x = TestData.withCorners(seed, n);
                for (int g = 0; g < groups; g++) {
                    x[g * width] = Float.NaN;
                }
            }
            case "nanHeavy" -> {
                for (int i = 0; i < n; i++) {
                    if (random.nextInt(4) != 0) {
                        x[i] = random.nextBoolean() ? Float.NaN : Float.intBitsToFloat(0xffc00001);
                    }
                }
            }
            case "infinities" -> {
                float[] pool = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0f, 0f,
                    Float.MAX_VALUE, -Float.MIN_VALUE};
                for (int i = 0; i < n; i++) {
                    if (random.nextInt(3) == 0) {
                        x[i] = pool[random.nextInt(pool.length)];
                    }
                }
            }
            case "maxInTail" -> {
                // Each group's largest value in its last element (the tail of a group wider than a vector).
                for (int i = 0; i < n; i++) {
                    x[i] = Math.max(x[i], 0f);
                }
                for (int g = 0; g < groups; g++) {
                    x[(g + 1) * width - 1] = 100f + g;
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return x;
    }

    /** {@code width} copies of {@code fill}, then {@code (position, value)} pairs overriding single elements. */
    private static float[] filled(int width, float fill, float... positionsAndValues) {
        float[] group = new float[width];
        Arrays.fill(group, fill);
        for (int p = 0; p + 1 < positionsAndValues.length; p += 2) {
            group[(int) positionsAndValues[p]] = positionsAndValues[p + 1];
        }
        return group;
    }
}
