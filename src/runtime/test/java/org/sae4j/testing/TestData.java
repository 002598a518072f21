package org.sae4j.testing;

import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.sae4j.tensor.Layouts;

/** Seeded inputs for the conformance suites: sizes around every lane count, unaligned offsets, corner values. */
public final class TestData {

    /** Element offsets of the first element: aligned, and two unaligned starts. */
    public static final int[] OFFSETS = {0, 1, 3};

    /** 0, 1, then L−1, L, L+1, 2L+3 for L ∈ {4, 8, 16}, a prime and a large size. */
    private static final int[] SIZES = {0, 1, 3, 4, 5, 7, 8, 9, 11, 15, 16, 17, 19, 35, 1021, 4096};

    /** Values every element-wise kernel must treat exactly like the scalar reference. */
    private static final float[] CORNERS = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 1.0e-40f, -1.0e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f,
        Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000)
    };

    private TestData() {
    }

    /** The sizes every element-wise and reduction suite covers. */
    public static int[] sizes() {
        return SIZES.clone();
    }

    /**
     * Arguments (provider, n, offset, seed) for every provider × {@link #sizes()} × {@link #OFFSETS} × seed: the
     * grid of the vector-kernel suites.
     */
    public static Stream<Arguments> vectorCases(long... seeds) {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCase provider : Providers.all()) {
            for (int n : SIZES) {
                for (int offset : OFFSETS) {
                    for (long seed : seeds) {
                        cases.add(Arguments.of(provider, n, offset, seed));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** {@code n} standard normal values from {@code seed}. */
    public static float[] gaussian(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) nextGaussian(random);
        }
        return values;
    }

    /** Gaussian values with about one element in four replaced by a corner value (±0, NaN, ±Inf, subnormals...). */
    public static float[] withCorners(long seed, int n) {
        float[] values = gaussian(seed, n);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(4) == 0) {
                values[i] = CORNERS[random.nextInt(CORNERS.length)];
            }
        }
        return values;
    }

    /** Rounds every value to bf16 (nearest even), returning raw bits. */
    public static short[] toBf16(float[] values) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Layouts.floatToBf16(values[i]);
        }
        return bits;
    }

    /** A 64-byte aligned segment holding {@code offset} NaN pad floats, then {@code values}. */
    public static MemorySegment floats(Arena arena, float[] values, int offset) {
        MemorySegment segment = arena.allocate((long) (offset + values.length) * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        for (int i = 0; i < offset; i++) {
            segment.setAtIndex(F32, i, Float.NaN);
        }
        for (int i = 0; i < values.length; i++) {
            segment.setAtIndex(F32, offset + i, values[i]);
        }
        return segment;
    }

    /** A 64-byte aligned segment holding {@code offset} pad bf16 elements (NaN), then {@code bits}. */
    public static MemorySegment bf16(Arena arena, short[] bits, int offset) {
        MemorySegment segment = arena.allocate((long) (offset + bits.length) * Short.BYTES, Layouts.ALIGNMENT_BYTES);
        for (int i = 0; i < offset; i++) {
            segment.setAtIndex(BF16, i, (short) 0x7fc0);
        }
        for (int i = 0; i < bits.length; i++) {
            segment.setAtIndex(BF16, offset + i, bits[i]);
        }
        return segment;
    }

    /** Copies {@code n} floats out of a segment, starting at element {@code offset}. */
    public static float[] read(MemorySegment segment, long offset, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = segment.getAtIndex(F32, offset + i);
        }
        return values;
    }

    private static double nextGaussian(SplittableRandom random) {
        // Box-Muller keeps the stream independent of JDK-version changes in Random.nextGaussian.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
