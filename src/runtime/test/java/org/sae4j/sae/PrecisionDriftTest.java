package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.TensorArena;
import org.sae4j.testing.Tolerance;

/**
 * bf16 weight storage: memory halves, encode and decode equal the fp32 engine run on the same rounded weights (the
 * double-precision {@link SaeReference} of those weights, with its fp32 accumulation bounds), and the measured drift
 * from the fp32 model stays within the bf16 rounding bound.
 */
final class PrecisionDriftTest {

    private static final int D_IN = SaeFixtures.D_IN;

    static Stream<Arguments> cases() {
        return SaeInferenceTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchReferenceOfRoundedWeightsWhenStoredAsBf16(String name, SaeConfig config) {
        try (Sae fp32 = Sae.of(config, SaeFixtures.weights(config, name.hashCode() + 71L));
             Sae bf16 = fp32.withBf16Weights()) {
            assertEquals(DType.BF16, bf16.weightPrecision());
            // the folded weights and effective config of the loaded model, each matrix rounded once by the kernel
            SaeWeights rounded = roundedCopy(fp32.weights());
            SaeReference reference = new SaeReference(fp32.config(), rounded);
            for (int batch : new int[] {1, 7}) {
                float[] x = SaeFixtures.gaussian(name.hashCode() + 73L + batch, batch * D_IN, 1.2, 0.1);
                SaeInferenceTest.checkAll(bf16, reference, fp32.config(), x);
            }
        }
    }

    @Test
    void shouldHalveWeightBytesWhenStoredAsBf16() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, 40).withDOut(17);
        try (Sae fp32 = Sae.of(config, SaeFixtures.weights(config, 79)); Sae bf16 = fp32.withBf16Weights()) {
            assertEquals(DType.F32, fp32.weightPrecision());
            assertEquals(4L * 40 * (D_IN + 17), fp32.weightBytes());
            assertEquals(fp32.weightBytes() / 2, bf16.weightBytes());
            IllegalStateException refused = assertThrowsExactly(IllegalStateException.class, bf16::encoder);
            assertEquals("the encoder of this model is stored as bf16; read weights() for fp32 copies",
                    refused.getMessage());
        }
    }

    @Test
    void shouldStayWithinTheBf16RoundingBoundWhenMeasuringDrift() {
        int dIn = 96;
        int dSae = 160;
        int batch = 16;
        SaeConfig config = SaeConfig.of(SaeArchitecture.STANDARD, dIn, dSae);
        SaeWeights weights = SaeFixtures.weights(config, 83);
        float[] x = SaeFixtures.gaussian(89, batch * dIn, 1.0, 0.2);
        try (Sae fp32 = Sae.of(config, weights); Sae bf16 = fp32.withBf16Weights();
             TensorArena arena = new TensorArena("drift-test")) {
            MemorySegment xs = SaeWorkspaceTest.segment(arena, x);
            PrecisionDrift drift = PrecisionDrift.measure(fp32, bf16, xs, batch);
            // |Δh| ≤ 2⁻⁸·Σ|w x'| + two fp32 accumulations, each ≤ γ_{d_in+1}·(Σ|w x'| + |b|), with
            // Σ|w̃ x'| ≤ (1 + 2⁻⁸)·Σ|w x'|; dividing by ‖w‖‖x'‖ ≥ Σ|w x'| leaves 2⁻⁸ + γ·(2 + 2⁻⁸ + 2|b|/(‖w‖‖x'‖))
            double biasRatio = 0;
            for (int r = 0; r < batch; r++) {
                double inputNorm = 0;
                for (int i = 0; i < dIn; i++) {
                    double centred = x[r * dIn + i] - weights.decoderBias()[i];
                    inputNorm += centred * centred;
                }
                for (int j = 0; j < dSae; j++) {
                    double rowNorm = 0;
                    for (int i = 0; i < dIn; i++) {
                        rowNorm += (double) weights.encoder()[j * dIn + i] * weights.encoder()[j * dIn + i];
                    }
                    biasRatio = Math.max(biasRatio, Math.abs(weights.encoderBias()[j])
                            / Math.sqrt(rowNorm * inputNorm));
                }
            }
            double bound = 0x1.0p-8 + Tolerance.gamma(dIn + 1) * (2 + 0x1.0p-8 + 2 * biasRatio)
                    + 4 * Tolerance.EPS;  // input centring and norm rounding
            assertTrue(drift.maxRelativePreActivationError() <= bound, drift + " exceeds " + bound);
            assertTrue(drift.maxRelativePreActivationError() > 0, "bf16 rounding must move something: " + drift);
            assertTrue(drift.meanRelativePreActivationError() <= drift.maxRelativePreActivationError(),
                    drift.toString());
            assertTrue(drift.meanActiveSetJaccard() > 0 && drift.meanActiveSetJaccard() <= 1, drift.toString());
            assertTrue(drift.relativeReconstructionDifference() > 0
                    && drift.relativeReconstructionDifference() < 1, drift.toString());

            assertEquals(new PrecisionDrift(0, 0, 1, 0), PrecisionDrift.measure(fp32, fp32, xs, batch),
                    "a model does not drift from itself");
            IllegalArgumentException reversed = assertThrowsExactly(IllegalArgumentException.class,
                    () -> PrecisionDrift.measure(bf16, fp32, xs, batch));
            assertEquals("the reference model holds BF16 weights; it must hold F32", reversed.getMessage());
        }
    }

    /**
     * The encoder and decoder narrowed by {@link Kernels#narrowToBf16} and widened exactly (a bf16 is a truncated
     * fp32); the skip matrix stays fp32 in a bf16 model.
     */
    private static SaeWeights roundedCopy(SaeWeights weights) {
        return new SaeWeights(rounded(weights.encoder()), weights.encoderBias(), rounded(weights.decoder()),
                weights.decoderBias(), weights.threshold(), weights.magnitudeBias(), weights.magnitudeLogScale(),
                weights.skip());
    }

    private static float[] rounded(float[] values) {
        try (TensorArena arena = new TensorArena("round-bf16")) {
            MemorySegment source = SaeWorkspaceTest.segment(arena, values);
            MemorySegment narrow = arena.allocateBf16(values.length);
            Kernels.narrowToBf16(values.length, source, 0, narrow, 0);
            float[] widened = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                widened[i] = Float.intBitsToFloat(narrow.getAtIndex(org.sae4j.tensor.Layouts.BF16, i) << 16);
            }
            return widened;
        }
    }
}
