package org.sae4j.kernel;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * Element-wise activations and proximal steps of every provider, bit-exact against the scalar oracle on inputs with
 * ±0, NaN, ±Inf and subnormals, with separate and aliased outputs.
 */
@Tag("kernel")
final class ActivationConformanceTest {

    private static final long[] SEEDS = {3L, 987654321L};

    /** Thresholds: zero, ordinary, subnormal and infinite. */
    private static final float[] LAMBDAS = {0f, 0.5f, 1f, Float.MIN_VALUE, Float.POSITIVE_INFINITY};

    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenBiasRelu(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        float[] b = TestData.withCorners(seed + 1, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bias = TestData.floats(arena, b, 1);
            MemorySegment expected = TestData.floats(arena, new float[n], offset);
            MemorySegment input = TestData.floats(arena, x, offset);
            Providers.scalar().biasRelu(n, input, offset, bias, 1, expected, offset);
            MemorySegment actual = TestData.floats(arena, new float[n], 3);
            pc.provider().biasRelu(n, input, offset, bias, 1, actual, 3);
            assertSame(expected, offset, actual, 3, n, x, context(pc, n, offset, seed) + " separate");
            MemorySegment aliased = TestData.floats(arena, x, offset);
            pc.provider().biasRelu(n, aliased, offset, bias, 1, aliased, offset);
            assertSame(expected, offset, aliased, offset, n, x, context(pc, n, offset, seed) + " aliased");
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldGivePositiveZeroWhenBiasReluInputIsNegativeOrZero(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.gaussian(seed, n);
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? -0f : -Math.abs(x[i]);
            b[i] = i % 2 == 0 ? -0f : 0f;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment y = TestData.floats(arena, x, offset);
            pc.provider().biasRelu(n, y, offset, TestData.floats(arena, b, 0), 0, y, offset);
            for (int i = 0; i < n; i++) {
                Tolerance.assertBitExact(0f, y.getAtIndex(F32, offset + i),
                        context(pc, n, offset, seed) + " index " + i + " x=" + x[i] + " b=" + b[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenBiasJumpRelu(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        float[] b = TestData.withCorners(seed + 1, n);
        float[] theta = TestData.withCorners(seed + 2, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            // A third of the thresholds equal the pre-activation exactly: the strict comparison must give 0.
            if (random.nextInt(3) == 0) {
                theta[i] = x[i] + b[i];
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bias = TestData.floats(arena, b, 3);
            MemorySegment thresholds = TestData.floats(arena, theta, 1);
            MemorySegment input = TestData.floats(arena, x, offset);
            MemorySegment expected = TestData.floats(arena, new float[n], 0);
            Providers.scalar().biasJumpRelu(n, input, offset, bias, 3, thresholds, 1, expected, 0);
            MemorySegment actual = TestData.floats(arena, new float[n], 1);
            pc.provider().biasJumpRelu(n, input, offset, bias, 3, thresholds, 1, actual, 1);
            assertSame(expected, 0, actual, 1, n, x, context(pc, n, offset, seed) + " separate");
            MemorySegment aliased = TestData.floats(arena, x, offset);
            pc.provider().biasJumpRelu(n, aliased, offset, bias, 3, thresholds, 1, aliased, offset);
            assertSame(expected, 0, aliased, offset, n, x, context(pc, n, offset, seed) + " aliased");
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenGatedRelu(ProviderCase pc, int n, int offset, long seed) {
        float[] z = TestData.withCorners(seed, n);
        float[] gate = TestData.withCorners(seed + 1, n);
        float[] scale = TestData.withCorners(seed + 2, n);
        float[] magnitudeBias = TestData.withCorners(seed + 3, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            // Gates summing to exactly 0 (closed: strict comparison), magnitudes cancelling to ±0, and ordinary
            // positive scales exp(r_mag) with open gates.
            switch (random.nextInt(4)) {
                case 0 -> gate[i] = -z[i];
                case 1 -> magnitudeBias[i] = -(z[i] * scale[i]);
                case 2 -> scale[i] = (float) Math.exp(scale[i]);
                default -> { }
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gateBias = TestData.floats(arena, gate, 1);
            MemorySegment magnitudeScale = TestData.floats(arena, scale, 3);
            MemorySegment bias = TestData.floats(arena, magnitudeBias, 0);
            MemorySegment expected = TestData.floats(arena, z, offset);
            Providers.scalar().gatedRelu(n, expected, offset, gateBias, 1, magnitudeScale, 3, bias, 0);
            MemorySegment actual = TestData.floats(arena, z, offset);
            pc.provider().gatedRelu(n, actual, offset, gateBias, 1, magnitudeScale, 3, bias, 0);
            String context = context(pc, n, offset, seed);
            for (int i = 0; i < n; i++) {
                Tolerance.assertBitExact(expected.getAtIndex(F32, offset + i), actual.getAtIndex(F32, offset + i),
                        context + " index " + i + " z=" + z[i] + " gateBias=" + gate[i] + " scale=" + scale[i]
                                + " magnitudeBias=" + magnitudeBias[i]);
            }
        }
    }

    /** Providers, each with a length that puts every rule row in every lane position and in the scalar tail. */
    static Stream<Arguments> providers() {
        return Providers.all().stream().map(Arguments::of);
    }

    /**
     * The documented rules of the gated epilogue, row by row: {z, gateBias, magnitudeScale, magnitudeBias, expected}.
     * The last row pins the multiply-then-add: (1 + 2⁻¹²)² rounds to 1 + 2⁻¹¹ (a tie to even), so the sum is +0,
     * where an FMA would give 2⁻²⁴.
     */
    private static final float[][] GATED_RULES = {
        {1f, -1f, 1f, 1f, 0f},                                               // gate exactly 0: closed
        {Float.NaN, 1f, 1f, 1f, 0f},                                         // NaN projection: gate closed
        {1f, Float.NaN, 1f, 1f, 0f},                                         // NaN gate bias: closed
        {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, 1f, 0f},      // ∞ − ∞ gate: closed
        {1f, 0f, Float.NaN, 1f, Float.NaN},                                  // open gate, NaN scale
        {1f, 0f, 1f, Float.NaN, Float.NaN},                                  // open gate, NaN magnitude bias
        {Float.POSITIVE_INFINITY, 0f, 0f, 0f, Float.NaN},                    // open gate, ∞·0
        {Float.POSITIVE_INFINITY, 0f, 2f, 1f, Float.POSITIVE_INFINITY},      // open gate, infinite magnitude
        {1f, 0f, -0f, -0f, 0f},                                              // magnitude −0 becomes +0
        {2f, 0f, 3f, -10f, 0f},                                              // negative magnitude: ReLU
        {2f, 0f, 3f, 1f, 7f},                                                // open gate, positive magnitude
        {-1f, 2f, 3f, 5f, 2f},                                               // the gate sees z + b_gate only
        {1f + 0x1p-12f, 0f, 1f + 0x1p-12f, -(1f + 0x1p-11f), 0f},            // mul, then add: no FMA
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void shouldFollowTheDocumentedRulesWhenGatedRelu(ProviderCase pc) {
        int n = 4 * 16 + 3;
        int offset = 1;
        float[][] columns = new float[5][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 5; c++) {
                columns[c][i] = GATED_RULES[(i * 5) % GATED_RULES.length][c];
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment z = TestData.floats(arena, columns[0], offset);
            pc.provider().gatedRelu(n, z, offset, TestData.floats(arena, columns[1], 0), 0,
                    TestData.floats(arena, columns[2], 3), 3, TestData.floats(arena, columns[3], 1), 1);
            for (int i = 0; i < n; i++) {
                float[] rule = GATED_RULES[(i * 5) % GATED_RULES.length];
                Tolerance.assertBitExact(rule[4], z.getAtIndex(F32, offset + i), pc.label() + " index " + i + " z="
                        + rule[0] + " gateBias=" + rule[1] + " scale=" + rule[2] + " magnitudeBias=" + rule[3]);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenSoftThreshold(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        for (float lambda : LAMBDAS) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment input = TestData.floats(arena, x, offset);
                MemorySegment expected = TestData.floats(arena, new float[n], 0);
                Providers.scalar().softThreshold(n, lambda, input, offset, expected, 0);
                MemorySegment actual = TestData.floats(arena, new float[n], 3);
                pc.provider().softThreshold(n, lambda, input, offset, actual, 3);
                String context = context(pc, n, offset, seed) + " lambda=" + lambda;
                assertSame(expected, 0, actual, 3, n, x, context + " separate");
                MemorySegment aliased = TestData.floats(arena, x, offset);
                pc.provider().softThreshold(n, lambda, aliased, offset, aliased, offset);
                assertSame(expected, 0, aliased, offset, n, x, context + " aliased");
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenSoftThresholdNonNegative(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        for (float lambda : LAMBDAS) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment input = TestData.floats(arena, x, offset);
                MemorySegment expected = TestData.floats(arena, new float[n], 0);
                Providers.scalar().softThresholdNonNegative(n, lambda, input, offset, expected, 0);
                MemorySegment actual = TestData.floats(arena, new float[n], 3);
                pc.provider().softThresholdNonNegative(n, lambda, input, offset, actual, 3);
                String context = context(pc, n, offset, seed) + " lambda=" + lambda;
                assertSame(expected, 0, actual, 3, n, x, context + " separate");
                MemorySegment aliased = TestData.floats(arena, x, offset);
                pc.provider().softThresholdNonNegative(n, lambda, aliased, offset, aliased, offset);
                assertSame(expected, 0, aliased, offset, n, x, context + " aliased");
            }
        }
    }

    /**
     * Every provider runs the scalar kernel's operation sequence for exp, so the results are bit-exact, specials
     * included (NaN → NaN, +∞ → +∞, −∞ → +0, ±0 → 1, results below the subnormal range → +0).
     */
    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenExp(ProviderCase pc, int n, int offset, long seed) {
        float[] x = TestData.withCorners(seed, n);
        float[] scaled = TestData.gaussian(seed + 1, n);
        for (int i = 0; i < n; i += 2) {
            x[i] = scaled[i] * 40f;
        }
        float[] specials = {-87f, 88.7f, -103f, -110f, 89.5f, -10f};
        for (int i = 0; i < Math.min(n, specials.length); i++) {
            x[(i * 5 + 1) % n] = specials[i];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = TestData.floats(arena, x, offset);
            MemorySegment expected = TestData.floats(arena, new float[n], 2);
            Providers.scalar().exp(n, input, offset, expected, 2);
            MemorySegment actual = TestData.floats(arena, new float[n], 1);
            pc.provider().exp(n, input, offset, actual, 1);
            MemorySegment aliased = TestData.floats(arena, x, offset);
            pc.provider().exp(n, aliased, offset, aliased, offset);
            for (int i = 0; i < n; i++) {
                String where = context(pc, n, offset, seed) + " index " + i + " x=" + x[i];
                Tolerance.assertBitExact(expected.getAtIndex(F32, 2 + i), actual.getAtIndex(F32, 1 + i), where);
                Tolerance.assertBitExact(expected.getAtIndex(F32, 2 + i), aliased.getAtIndex(F32, offset + i), where);
            }
        }
    }

    /**
     * Accuracy of the shared exp against the double exponential over the whole normal range: the degree-7 Taylor
     * remainder on |r| ≤ ln2/2 is below 5e-9 relative, the reduction is exact to 2⁻³³ relative, and the eight FMA steps
     * and two scalings add at most a few half-ulps, so 3 ulp of the correctly rounded value bounds the error.
     */
    @org.junit.jupiter.api.Test
    void shouldStayWithinThreeUlpOfTheExactExponentialOverTheNormalRange() {
        double worst = 0;
        for (float x = -87.3f; x <= 88.7f; x = Math.nextUp(x + 0.0137f)) {
            float exact = (float) Math.exp(x);
            float actual = org.sae4j.kernel.scalar.ScalarActivation.exp(x);
            double ulps = Math.abs(actual - Math.exp(x)) / Math.ulp(exact);
            worst = Math.max(worst, ulps);
            Tolerance.assertWithin(Math.exp(x), actual, 3 * Math.ulp(exact), "exp(" + x + ")");
        }
        org.junit.jupiter.api.Assertions.assertTrue(worst > 0, "the sweep compared something");
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 89.5f, -110f};
        float[] expected = {Float.NaN, Float.POSITIVE_INFINITY, 0f, 1f, 1f, Float.POSITIVE_INFINITY, 0f};
        for (int i = 0; i < special.length; i++) {
            Tolerance.assertBitExact(expected[i], org.sae4j.kernel.scalar.ScalarActivation.exp(special[i]),
                    "exp(" + special[i] + ")");
        }
    }

    private static void assertSame(MemorySegment expected, int expectedOff, MemorySegment actual, int actualOff,
                                   int n, float[] input, String context) {
        for (int i = 0; i < n; i++) {
            Tolerance.assertBitExact(expected.getAtIndex(F32, expectedOff + i), actual.getAtIndex(F32, actualOff + i),
                    context + " index " + i + " x=" + input[i]);
        }
    }

    private static String context(ProviderCase pc, int n, int offset, long seed) {
        return pc.label() + " n=" + n + " off=" + offset + " seed=" + seed;
    }
}
