package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.scalar.ScalarCompact;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;

/**
 * Counting and compaction of non-zero elements by every provider, compared exactly (raw bits of the values) with a
 * plain loop in this test and with the scalar provider. No arithmetic is involved, so there is no tolerance.
 */
@Tag("kernel")
final class CompactConformanceTest {

    private static final long[] SEEDS = {5L, 2024L};

    /** All zeros, the density of a standard SAE's codes, a dense code, half and all non-zero. */
    private static final double[] DENSITIES = {0.0, 0.006, 0.1, 0.5, 1.0};

    /** Non-zero values the kernels must copy bit for bit (NaN payloads and signs included). */
    private static final float[] NON_ZERO_CORNERS = {
        Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1.0e-40f, -1.0e-40f, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE
    };

    /** Guards written around every row and every output range, to catch reads and writes outside them. */
    private static final int GUARD = 17;
    private static final int SENTINEL_INDEX = -12345;
    private static final float SENTINEL_VALUE = Float.intBitsToFloat(0x7fbadbad);

    /** Column number given to element 0, so that a kernel writing j instead of column0 + j fails. */
    private static final int COLUMN0 = 1000;

    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchOracleExactlyWhenCountingAndCompacting(ProviderCase pc, int n, int offset, long seed) {
        for (double density : DENSITIES) {
            float[] row = row(seed, n, density);
            String context = pc.label() + " n=" + n + " off=" + offset + " seed=" + seed + " density=" + density;
            int expectedCount = oracleCount(row);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = TestData.floats(arena, withNanGuard(row), offset);
                assertEquals(expectedCount, pc.provider().countNonZero(n, x, offset), context + " count");
                assertEquals(expectedCount, Providers.scalar().countNonZero(n, x, offset), context + " scalar count");

                int off = offset + 2;
                int[] indices = new int[off + expectedCount + GUARD];
                float[] values = new float[indices.length];
                Arrays.fill(indices, SENTINEL_INDEX);
                Arrays.fill(values, SENTINEL_VALUE);
                int written = pc.provider().compactNonZero(n, x, offset, COLUMN0, indices, values, off,
                        expectedCount);
                assertEquals(expectedCount, written, context + " compact count");

                int[] expectedIndices = new int[indices.length];
                float[] expectedValues = new float[indices.length];
                Arrays.fill(expectedIndices, SENTINEL_INDEX);
                Arrays.fill(expectedValues, SENTINEL_VALUE);
                oracleCompact(row, expectedIndices, expectedValues, off);
                assertSameEntries(expectedIndices, expectedValues, indices, values, context + " vs oracle");

                int[] scalarIndices = new int[indices.length];
                float[] scalarValues = new float[indices.length];
                Arrays.fill(scalarIndices, SENTINEL_INDEX);
                Arrays.fill(scalarValues, SENTINEL_VALUE);
                Providers.scalar().compactNonZero(n, x, offset, COLUMN0, scalarIndices, scalarValues, off,
                        expectedCount);
                assertSameEntries(scalarIndices, scalarValues, indices, values, context + " vs scalar");
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldReportOverLimitWhenRowHoldsMoreNonZerosThanLimit(ProviderCase pc, int n, int offset, long seed) {
        for (double density : DENSITIES) {
            float[] row = row(seed, n, density);
            int count = oracleCount(row);
            if (count == 0) {
                continue;
            }
            String context = pc.label() + " n=" + n + " off=" + offset + " seed=" + seed + " density=" + density;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = TestData.floats(arena, withNanGuard(row), offset);
                int[] indices = new int[count + GUARD];
                float[] values = new float[count + GUARD];
                Arrays.fill(indices, SENTINEL_INDEX);
                assertEquals(ScalarCompact.OVER_LIMIT,
                        pc.provider().compactNonZero(n, x, offset, 0, indices, values, 1, count - 1), context);
                assertEquals(ScalarCompact.OVER_LIMIT,
                        pc.provider().compactNonZero(n, x, offset, 0, indices, values, 1, 0), context + " limit 0");
                assertEquals(SENTINEL_INDEX, indices[count], context + ": wrote past off + limit");
                assertEquals(SENTINEL_INDEX, indices[0], context + ": wrote before off");
            }
        }
    }

    @Test
    void shouldCountNegativeZeroAsZeroAndNanAsNonZero() {
        float[] row = new float[40];
        Arrays.fill(row, -0f);
        row[3] = Float.NaN;
        row[21] = Float.intBitsToFloat(0xffc00000);
        row[39] = 0f;
        for (ProviderCase pc : Providers.all()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = TestData.floats(arena, row, 0);
                assertEquals(2, pc.provider().countNonZero(row.length, x, 0), pc.label());
                int[] indices = new int[2];
                float[] values = new float[2];
                assertEquals(2, pc.provider().compactNonZero(row.length, x, 0, 0, indices, values, 0, 2), pc.label());
                assertEquals(3, indices[0], pc.label());
                assertEquals(21, indices[1], pc.label());
                assertEquals(0x7fc00000, Float.floatToRawIntBits(values[0]), pc.label());
                assertEquals(0xffc00000, Float.floatToRawIntBits(values[1]), pc.label());
            }
        }
    }

    @Test
    void shouldThrowNamingLimitWhenFacadeRowExceedsLimit() {
        float[] row = {0f, 1f, 2f, 0f, 3f};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = TestData.floats(arena, row, 0);
            int[] indices = new int[8];
            float[] values = new float[8];
            IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                    () -> Kernels.compactNonZero(5, x, 0, 0, indices, values, 0, 2));
            assertEquals("x holds more than limit = 2 non-zero elements", e.getMessage());
            assertEquals(3, Kernels.compactNonZero(5, x, 0, 7, indices, values, 5, 3));
            assertEquals(8, indices[5]);
            assertEquals(11, indices[7]);
            assertEquals(3, Kernels.countNonZero(5, x, 0));
        }
    }

    @Test
    void shouldThrowNamingProblemWhenFacadeArgumentsAreInvalid() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = TestData.floats(arena, new float[4], 0);
            int[] indices = new int[4];
            float[] values = new float[4];
            assertEquals("n must be >= 0, got -1", assertThrowsExactly(IllegalArgumentException.class,
                    () -> Kernels.countNonZero(-1, x, 0)).getMessage());
            assertEquals("x: elements [1, 5) exceed a segment of 4 elements",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> Kernels.countNonZero(4, x, 1)).getMessage());
            assertEquals("limit must be >= 0, got -1", assertThrowsExactly(IllegalArgumentException.class,
                    () -> Kernels.compactNonZero(4, x, 0, 0, indices, values, 0, -1)).getMessage());
            assertEquals("column0 must be >= 0, got -2", assertThrowsExactly(IllegalArgumentException.class,
                    () -> Kernels.compactNonZero(4, x, 0, -2, indices, values, 0, 4)).getMessage());
            assertEquals("columns 2147483645 + [0, 4) exceed the int range",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> Kernels.compactNonZero(4, x, 0, Integer.MAX_VALUE - 2, indices, values, 0, 4))
                            .getMessage());
            assertEquals("output arrays too short: need 4 entries from 1, have 4",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> Kernels.compactNonZero(4, x, 0, 0, indices, values, 1, 4)).getMessage());
            assertEquals("output arrays too short: need 2147483647 entries from 1, have 4",
                    assertThrowsExactly(IllegalArgumentException.class,
                            () -> Kernels.compactNonZero(4, x, 0, 0, indices, values, 1, Integer.MAX_VALUE))
                            .getMessage());
        }
    }

    /** Non-zero with probability {@code density} (a Gaussian or a corner value), else +0 or −0 at random. */
    private static float[] row(long seed, int n, double density) {
        SplittableRandom random = new SplittableRandom(seed * 31 + n + Double.hashCode(density));
        float[] gaussian = TestData.gaussian(seed, n);
        float[] row = new float[n];
        for (int j = 0; j < n; j++) {
            if (random.nextDouble() < density) {
                float value = random.nextInt(5) == 0 ? NON_ZERO_CORNERS[random.nextInt(NON_ZERO_CORNERS.length)]
                        : gaussian[j];
                row[j] = value == 0f ? 1f : value;
            } else {
                row[j] = random.nextBoolean() ? 0f : -0f;
            }
        }
        return row;
    }

    /** The row followed by NaNs, which a kernel reading past element n would count. */
    private static float[] withNanGuard(float[] row) {
        float[] guarded = Arrays.copyOf(row, row.length + GUARD);
        Arrays.fill(guarded, row.length, guarded.length, Float.NaN);
        return guarded;
    }

    private static int oracleCount(float[] row) {
        int count = 0;
        for (float value : row) {
            if (!(value == 0f)) {
                count++;
            }
        }
        return count;
    }

    private static void oracleCompact(float[] row, int[] indices, float[] values, int off) {
        int t = off;
        for (int j = 0; j < row.length; j++) {
            if (!(row[j] == 0f)) {
                indices[t] = COLUMN0 + j;
                values[t] = row[j];
                t++;
            }
        }
    }

    private static void assertSameEntries(int[] expectedIndices, float[] expectedValues, int[] indices,
                                          float[] values, String context) {
        for (int t = 0; t < indices.length; t++) {
            assertEquals(expectedIndices[t], indices[t], context + " index at entry " + t);
            assertEquals(Float.floatToRawIntBits(expectedValues[t]), Float.floatToRawIntBits(values[t]),
                    context + " value bits at entry " + t + " (expected " + expectedValues[t] + ", got " + values[t]
                            + ")");
        }
    }
}
