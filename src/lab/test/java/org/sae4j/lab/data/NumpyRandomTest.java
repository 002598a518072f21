package org.sae4j.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NumpyRandom against numpy's legacy RandomState: the paper-spec §3.2 table and first draws, plus vectors printed
 * by numpy 2.4 (the legacy stream is frozen by numpy's compatibility policy).
 */
final class NumpyRandomTest {

    static Stream<Arguments> specTable() {
        return Stream.of(
                Arguments.of(20240625L, 0, new int[] {9, 13, 11},
                        new double[] {0.5430608403532358, 1.474458145631712, 1.1999758020819398}),
                Arguments.of(20240625L, 1, new int[] {14, 11, 2},
                        new double[] {0.48672581735708204, 1.5339972454814454, 0.7762916354802343}),
                Arguments.of(20240926L, 0, new int[] {2, 0, 4},
                        new double[] {1.6998001577579656, 0.9324287920499744, 0.5060380329234088}),
                Arguments.of(20240926L, 1, new int[] {0, 5, 6},
                        new double[] {1.7516061728328687, 0.21577296509789354, 0.8751166223130893}));
    }

    @ParameterizedTest(name = "seed {0}, sample {1}")
    @MethodSource("specTable")
    void shouldReproduceSpecSupportAndValuesWhenDrawingCodeRows(long seed, int sample, int[] support,
                                                                double[] values) {
        NumpyRandom rng = new NumpyRandom(seed);
        double[] row = new double[16];
        int[] drawn = null;
        for (int s = 0; s <= sample; s++) {
            drawn = SyntheticData.drawNumpyCodeRow(rng, 3, row);
        }
        assertArrayEquals(support, drawn, "support of sample " + sample + ", seed " + seed);
        for (int i = 0; i < support.length; i++) {
            assertEquals(values[i], row[support[i]], 0.0, "value at index " + support[i] + ", seed " + seed);
        }
        for (int j = 0; j < row.length; j++) {
            boolean inSupport = j == support[0] || j == support[1] || j == support[2];
            if (!inSupport) {
                assertEquals(0.0, row[j], 0.0, "entry " + j + " outside the support, seed " + seed);
            }
        }
    }

    @Test
    void shouldReproduceFirstNormalDrawsWhenSeed20240625() {
        NumpyRandom rng = new NumpyRandom(20240625L);
        double[] draws = new double[2];
        rng.normal(0.0, 1.0, draws);
        assertEquals(1.2060983866735346, draws[0], 0.0);
        assertEquals(-1.6577747911718654, draws[1], 0.0);
        assertEquals(1.20609839, draws[0], 5e-9, "spec prefix 1.20609839…");
        assertEquals(-1.65777479, draws[1], 5e-9, "spec prefix −1.65777479…");
    }

    @Test
    void shouldReproduceRawOutputsWhenSeed5489() {
        NumpyRandom rng = new NumpyRandom(5489L);
        assertEquals(3499211612L, rng.nextUint32());
        assertEquals(581869302L, rng.nextUint32());
        assertEquals(3890346734L, rng.nextUint32());
    }

    @Test
    void shouldReproduceRandomSampleWhenSeed0() {
        NumpyRandom rng = new NumpyRandom(0L);
        assertEquals(0.5488135039273248, rng.nextDouble(), 0.0);
        assertEquals(0.7151893663724195, rng.nextDouble(), 0.0);
        assertEquals(0.6027633760716439, rng.nextDouble(), 0.0);
    }

    @Test
    void shouldAcceptLargestSeedWhenSeed4294967295() {
        assertEquals(0.0976320289940138, new NumpyRandom(NumpyRandom.MAX_SEED).nextDouble(), 0.0);
    }

    @Test
    void shouldReproduceRandintWhenSeed42() {
        NumpyRandom rng = new NumpyRandom(42L);
        long[] drawn = new long[5];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = rng.randint(0, 10);
        }
        assertArrayEquals(new long[] {6, 3, 7, 4, 6}, drawn);
    }

    @Test
    void shouldUse64BitDrawsWhenRangeExceeds32BitsSeed1() {
        NumpyRandom rng = new NumpyRandom(1L);
        long bound = 1L << 40;
        assertArrayEquals(new long[] {163196666091L, 605300724808L, 1095766950793L},
                new long[] {rng.randint(0, bound), rng.randint(0, bound), rng.randint(0, bound)});
    }

    @Test
    void shouldReproducePermutationWhenSeed0() {
        assertArrayEquals(new int[] {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, new NumpyRandom(0L).permutation(10));
    }

    @Test
    void shouldReproduceChoiceWhenSeed7() {
        assertArrayEquals(new int[] {8, 5, 10}, new NumpyRandom(7L).choiceWithoutReplacement(16, 3));
    }

    @Test
    void shouldKeepGaussianCacheAcrossCallsWhenSeed3() {
        double[] array = new double[3];
        new NumpyRandom(3L).normal(0.0, 1.0, array);
        NumpyRandom single = new NumpyRandom(3L);
        double[] oneByOne = {single.nextGaussian(), single.nextGaussian(), single.nextGaussian()};
        assertArrayEquals(new double[] {1.7886284734303186, 0.43650985051198943, 0.09649746807200862}, array, 0.0);
        assertArrayEquals(array, oneByOne, 0.0);
    }

    @Test
    void shouldDrawNothingWhenIntervalIsZeroSeed11() {
        NumpyRandom first = new NumpyRandom(11L);
        NumpyRandom second = new NumpyRandom(11L);
        assertEquals(0L, first.randomInterval(0));
        assertEquals(second.nextUint32(), first.nextUint32());
    }

    @Test
    void shouldStayInRangeWhenDrawingBoundedIntegersSeed12() {
        NumpyRandom rng = new NumpyRandom(12L);
        for (long max : new long[] {1, 2, 3, 5, 16, 1000, 0xFFFF_FFFFL, 1L << 33, Long.MAX_VALUE}) {
            for (int i = 0; i < 200; i++) {
                long value = rng.randomInterval(max);
                if (value < 0 || value > max) {
                    throw new AssertionError("randomInterval(" + max + ") returned " + value + ", seed 12");
                }
            }
        }
    }

    @Test
    void shouldRejectSeedsOutsideNumpyRange() {
        assertEquals("numpy seed must be in [0, 2^32 - 1], got -1",
                assertThrowsExactly(IllegalArgumentException.class, () -> new NumpyRandom(-1L)).getMessage());
        assertEquals("numpy seed must be in [0, 2^32 - 1], got 4294967296",
                assertThrowsExactly(IllegalArgumentException.class, () -> new NumpyRandom(1L << 32)).getMessage());
    }

    @Test
    void shouldRejectInvalidArgumentsWhenDrawing() {
        NumpyRandom rng = new NumpyRandom(1L);
        assertEquals("choice size must be in [0, 16] without replacement, got 17",
                assertThrowsExactly(IllegalArgumentException.class, () -> rng.choiceWithoutReplacement(16, 17))
                        .getMessage());
        assertEquals("choice population must be > 0, got 0",
                assertThrowsExactly(IllegalArgumentException.class, () -> rng.choiceWithoutReplacement(0, 0))
                        .getMessage());
        assertEquals("randint needs low < high, got [5, 5)",
                assertThrowsExactly(IllegalArgumentException.class, () -> rng.randint(5, 5)).getMessage());
        assertEquals("interval bound must be >= 0, got -3",
                assertThrowsExactly(IllegalArgumentException.class, () -> rng.randomInterval(-3)).getMessage());
        assertEquals("permutation size must be >= 0, got -1",
                assertThrowsExactly(IllegalArgumentException.class, () -> rng.permutation(-1)).getMessage());
        assertEquals("randint range [-9223372036854775808, 9223372036854775807) exceeds 2^63 - 1",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> rng.randint(Long.MIN_VALUE, Long.MAX_VALUE)).getMessage());
    }
}
