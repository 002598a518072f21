package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sae4j.tensor.Layouts.BF16;
import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * bf16 ↔ fp32 conversion of every provider, compared bit for bit (NaN payloads included) with the scalar oracle:
 * every one of the 65536 bf16 patterns, and fp32 patterns around every rounding boundary.
 */
@Tag("kernel")
final class WidenConformanceTest {

    private static final long[] SEEDS = {11L, 4242L};

    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    static Stream<ProviderCase> providers() {
        return Providers.all().stream();
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitsWhenWidenBf16(ProviderCase pc, int n, int offset, long seed) {
        short[] bits = TestData.toBf16(TestData.withCorners(seed, n));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = TestData.bf16(arena, bits, offset);
            MemorySegment expected = TestData.floats(arena, new float[n], 0);
            MemorySegment actual = TestData.floats(arena, new float[n], 3);
            Providers.scalar().widenBf16(n, src, offset, expected, 0);
            pc.provider().widenBf16(n, src, offset, actual, 3);
            assertSameFloatBits(expected, 0, actual, 3, n, context(pc, n, offset, seed));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void shouldMatchScalarBitsWhenWidenBf16CoversEveryPattern(ProviderCase pc) {
        int n = 1 << 16;
        short[] bits = new short[n];
        for (int i = 0; i < n; i++) {
            bits[i] = (short) i;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = TestData.bf16(arena, bits, 1);
            MemorySegment expected = TestData.floats(arena, new float[n], 0);
            MemorySegment actual = TestData.floats(arena, new float[n], 0);
            Providers.scalar().widenBf16(n, src, 1, expected, 0);
            pc.provider().widenBf16(n, src, 1, actual, 0);
            assertSameFloatBits(expected, 0, actual, 0, n, pc.label() + " every bf16 pattern");
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitsWhenNarrowToBf16(ProviderCase pc, int n, int offset, long seed) {
        float[] values = TestData.withCorners(seed, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = TestData.floats(arena, values, offset);
            MemorySegment expected = TestData.bf16(arena, new short[n], 0);
            MemorySegment actual = TestData.bf16(arena, new short[n], 1);
            Providers.scalar().narrowToBf16(n, src, offset, expected, 0);
            pc.provider().narrowToBf16(n, src, offset, actual, 1);
            assertSameShorts(expected, 0, actual, 1, n, values, context(pc, n, offset, seed));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void shouldRoundLikeScalarWhenNarrowToBf16SeesBoundaryPatterns(ProviderCase pc) {
        // For each of 4096 random high halves, every interesting low half: zero, just below/at/above the halfway
        // point (ties to even on both parities), all ones; plus signalling/quiet NaNs and the overflow boundary.
        SplittableRandom random = new SplittableRandom(99);
        int[] lows = {0x0000, 0x0001, 0x7fff, 0x8000, 0x8001, 0xffff};
        int[] special = {0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fbfffff, 0x7fc00000, 0xffffffff,
            0x7f7fffff, 0xff7fffff, 0x7f7f8000, 0x7f7f7fff, 0x00000001, 0x80008000, 0x00018000, 0x007fffff};
        int n = 4096 * lows.length + special.length;
        float[] values = new float[n];
        int at = 0;
        for (int h = 0; h < 4096; h++) {
            int high = random.nextInt() & 0xffff0000;
            for (int low : lows) {
                values[at++] = Float.intBitsToFloat(high | low);
            }
        }
        for (int s : special) {
            values[at++] = Float.intBitsToFloat(s);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate((long) n * Float.BYTES, 64);
            for (int i = 0; i < n; i++) {
                // Raw int stores keep signalling NaN payloads intact.
                src.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, Float.floatToRawIntBits(values[i]));
            }
            MemorySegment expected = TestData.bf16(arena, new short[n], 0);
            MemorySegment actual = TestData.bf16(arena, new short[n], 0);
            Providers.scalar().narrowToBf16(n, src, 0, expected, 0);
            pc.provider().narrowToBf16(n, src, 0, actual, 0);
            assertSameShorts(expected, 0, actual, 0, n, values, pc.label() + " boundary patterns");
        }
    }

    private static void assertSameFloatBits(MemorySegment expected, int expectedOff, MemorySegment actual,
                                            int actualOff, int n, String context) {
        for (int i = 0; i < n; i++) {
            int e = Float.floatToRawIntBits(expected.getAtIndex(F32, expectedOff + i));
            int a = Float.floatToRawIntBits(actual.getAtIndex(F32, actualOff + i));
            if (e != a) {
                assertEquals(Integer.toHexString(e), Integer.toHexString(a), context + " index " + i);
            }
        }
    }

    private static void assertSameShorts(MemorySegment expected, int expectedOff, MemorySegment actual, int actualOff,
                                         int n, float[] input, String context) {
        for (int i = 0; i < n; i++) {
            short e = expected.getAtIndex(BF16, expectedOff + i);
            short a = actual.getAtIndex(BF16, actualOff + i);
            if (e != a) {
                assertEquals(Integer.toHexString(e & 0xffff), Integer.toHexString(a & 0xffff), context + " index " + i
                        + " input 0x" + Integer.toHexString(Float.floatToRawIntBits(input[i])));
            }
        }
    }

    private static String context(ProviderCase pc, int n, int offset, long seed) {
        return pc.label() + " n=" + n + " off=" + offset + " seed=" + seed;
    }
}
