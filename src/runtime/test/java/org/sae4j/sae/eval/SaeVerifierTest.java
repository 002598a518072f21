package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.sae.eval.VerificationCheck.Status;

/**
 * {@link SaeVerifier} on SAEs built in memory with hand-picked weights, so that every detail message is known
 * exactly: decoder row j is (1 + j/16)·e_(j mod 8), tied encoder, zero b_enc, b_dec_i = (i − 4)/8 and
 * θ_j = 1/8 + j/64 (all dyadic, so norms and ranges are exact).
 */
final class SaeVerifierTest {

    private static final int D_IN = 8;
    private static final int D_SAE = 16;
    private static final SaeConfig JUMPRELU = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
    private static final String ROUND_TRIP = "round trip saelens float32";

    @Test
    void shouldPassEveryCheckWhenTheSaeIsHealthy() {
        try (Sae sae = Sae.of(JUMPRELU, healthy())) {
            VerificationReport report = SaeVerifier.verify(sae);
            assertEquals(List.of(
                    check(SaeVerifier.FINITE_WEIGHTS, Status.PASS, "296 values"),
                    check(SaeVerifier.DECODER_ROW_NORMS, Status.PASS, "min 1.000, median 1.500, max 1.938"),
                    check(SaeVerifier.DEAD_DECODER_ROWS, Status.PASS, "0 of 16 rows have zero norm"),
                    check(SaeVerifier.B_DEC_RANGE, Status.PASS, "[-0.5000, 0.3750]"),
                    check(SaeVerifier.THRESHOLDS, Status.PASS, "[0.1250, 0.3594]"),
                    check(SaeVerifier.FORWARD_FINITE, Status.PASS, "8 Gaussian rows, seed 20240625"),
                    check(SaeVerifier.SELF_ACTIVATION, Status.PASS,
                            "16 of 16 sampled latents fire on their own decoder row"),
                    check(ROUND_TRIP, Status.PASS, "5 tensors bit-exact, forward bit-exact")), report.checks());
            assertEquals(0, report.failed());
            assertTrue(report.passed());
        }
    }

    @Test
    void shouldGiveTheSameReportWhenGivenFiniteWeightsInsteadOfAModel() {
        try (Sae sae = Sae.of(JUMPRELU, healthy())) {
            assertEquals(SaeVerifier.verify(sae), SaeVerifier.verify(JUMPRELU, healthy()));
        }
    }

    @Test
    void shouldWarnWhenADecoderRowIsDead() {
        SaeWeights weights = healthy();
        Arrays.fill(weights.decoder(), 3 * D_IN, 4 * D_IN, 0f);
        try (Sae sae = Sae.of(JUMPRELU, weights)) {
            VerificationReport report = SaeVerifier.verify(sae);
            assertEquals(check(SaeVerifier.DEAD_DECODER_ROWS, Status.WARN, "1 of 16 rows have zero norm"),
                    report.check(SaeVerifier.DEAD_DECODER_ROWS));
            assertEquals(check(SaeVerifier.DECODER_ROW_NORMS, Status.PASS, "min 0.000, median 1.500, max 1.938"),
                    report.check(SaeVerifier.DECODER_ROW_NORMS));
            // the dead row is left out of the sample: 15 rows, each firing its own latent
            assertEquals(check(SaeVerifier.SELF_ACTIVATION, Status.PASS,
                    "15 of 15 sampled latents fire on their own decoder row"),
                    report.check(SaeVerifier.SELF_ACTIVATION));
            assertEquals(Status.PASS, report.check(ROUND_TRIP).status(), report.check(ROUND_TRIP).detail());
            assertTrue(report.passed(), "a warning is not a failure");
        }
    }

    @Test
    void shouldFailAndSkipTheModelChecksWhenAWeightIsNotFinite() {
        SaeWeights weights = healthy();
        weights.decoder()[2 * D_IN + 2] = Float.POSITIVE_INFINITY;
        VerificationReport report = SaeVerifier.verify(JUMPRELU, weights);
        String skipped = "weights are not finite; no model to run";
        assertEquals(List.of(
                check(SaeVerifier.FINITE_WEIGHTS, Status.FAIL, "decoder element 18 is Infinity"),
                check(SaeVerifier.DECODER_ROW_NORMS, Status.FAIL, "min 1.000, median 1.563, max Infinity"),
                check(SaeVerifier.DEAD_DECODER_ROWS, Status.PASS, "0 of 16 rows have zero norm"),
                check(SaeVerifier.B_DEC_RANGE, Status.PASS, "[-0.5000, 0.3750]"),
                check(SaeVerifier.THRESHOLDS, Status.PASS, "[0.1250, 0.3594]"),
                check(SaeVerifier.FORWARD_FINITE, Status.SKIP, skipped),
                check(SaeVerifier.SELF_ACTIVATION, Status.SKIP, skipped),
                check(ROUND_TRIP, Status.SKIP, skipped)), report.checks());
        assertEquals(2, report.failed());
        assertFalse(report.passed());
    }

    @Test
    void shouldNameTheFirstNonFiniteTensorElementWhenTheEncoderHoldsNaN() {
        SaeWeights weights = healthy();
        weights.encoder()[5] = Float.NaN;
        weights.encoder()[7] = Float.NEGATIVE_INFINITY;
        VerificationReport report = SaeVerifier.verify(JUMPRELU, weights);
        assertEquals(check(SaeVerifier.FINITE_WEIGHTS, Status.FAIL, "encoder element 5 is NaN"),
                report.check(SaeVerifier.FINITE_WEIGHTS));
        assertEquals(Status.PASS, report.check(SaeVerifier.DECODER_ROW_NORMS).status());
    }

    @Test
    void shouldWarnWhenJumpReluThresholdsAreNegative() {
        SaeWeights weights = healthy();
        weights.threshold()[0] = -0.25f;
        weights.threshold()[1] = -0.125f;
        weights.threshold()[2] = -0.0625f;
        try (Sae sae = Sae.of(JUMPRELU, weights)) {
            VerificationReport report = SaeVerifier.verify(sae);
            assertEquals(check(SaeVerifier.THRESHOLDS, Status.WARN,
                    "[-0.2500, 0.3594], 3 negative (those latents act as plain ReLU)"),
                    report.check(SaeVerifier.THRESHOLDS));
            assertTrue(report.passed(), "a warning is not a failure");
        }
    }

    @Test
    void shouldSkipThresholdsAndSelfActivationWhenTheyDoNotApply() {
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeWeights jumpRelu = healthy();
        try (Sae sae = Sae.of(standard, SaeWeights.of(jumpRelu.encoder(), jumpRelu.encoderBias(),
                jumpRelu.decoder(), jumpRelu.decoderBias()))) {
            assertEquals(check(SaeVerifier.THRESHOLDS, Status.SKIP, "no JumpReLU threshold"),
                    SaeVerifier.verify(sae).check(SaeVerifier.THRESHOLDS));
        }
        SaeConfig transcoder = SaeConfig.of(SaeArchitecture.TRANSCODER, D_IN, D_SAE).withDOut(4);
        float[] decoder = new float[D_SAE * 4];
        for (int j = 0; j < D_SAE; j++) {
            decoder[j * 4 + j % 4] = 1f;
        }
        try (Sae sae = Sae.of(transcoder, SaeWeights.of(jumpRelu.encoder(), jumpRelu.encoderBias(), decoder,
                new float[4]))) {
            VerificationReport report = SaeVerifier.verify(sae);
            assertEquals(check(SaeVerifier.SELF_ACTIVATION, Status.SKIP, "decoder writes d_out 4, not the input space"),
                    report.check(SaeVerifier.SELF_ACTIVATION));
            assertEquals(Status.PASS, report.check(ROUND_TRIP).status(), report.check(ROUND_TRIP).detail());
        }
    }

    @Test
    void shouldRejectWeightsOfTheWrongShapeAndUnknownCheckNames() {
        SaeWeights weights = healthy();
        weights.encoder()[0] = Float.NaN;
        SaeWeights shortDecoder = new SaeWeights(weights.encoder(), weights.encoderBias(), new float[3],
                weights.decoderBias(), weights.threshold(), null, null);
        assertEquals("decoder has 3 values, the config needs 128", assertThrowsExactly(
                IllegalArgumentException.class, () -> SaeVerifier.verify(JUMPRELU, shortDecoder)).getMessage());
        VerificationReport report = new VerificationReport(List.of(check("a", Status.PASS, "")));
        assertEquals("no check named 'b' in [a]",
                assertThrowsExactly(IllegalArgumentException.class, () -> report.check("b")).getMessage());
    }

    private static VerificationCheck check(String name, Status status, String detail) {
        return new VerificationCheck(name, status, detail);
    }

    /** The weights the class comment describes. */
    private static SaeWeights healthy() {
        float[] decoder = new float[D_SAE * D_IN]; // [dSae, dIn]
        for (int j = 0; j < D_SAE; j++) {
            decoder[j * D_IN + j % D_IN] = 1f + j / 16f;
        }
        float[] decoderBias = new float[D_IN];
        for (int i = 0; i < D_IN; i++) {
            decoderBias[i] = (i - 4) / 8f;
        }
        float[] threshold = new float[D_SAE];
        for (int j = 0; j < D_SAE; j++) {
            threshold[j] = 0.125f + j / 64f;
        }
        return SaeWeights.of(decoder.clone(), new float[D_SAE], decoder, decoderBias).withThreshold(threshold);
    }
}
