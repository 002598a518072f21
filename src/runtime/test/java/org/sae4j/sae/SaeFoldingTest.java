package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Folding against a double-precision reference written from sae-formats §8.2 and §10. Each folded weight is one fp32
 * rounding of an exact product (relative error ε = 2^-24), so a folded pre-activation is within
 * 2ε·n_j·(Σ|x'_i·w_ji| + |b_j|) of n_j·h_j; the tests allow twice that.
 */
final class SaeFoldingTest {

    private static final double EPS = 0x1.0p-24;
    private static final int ROWS = 6;
    private static final int D_OUT = 19;

    /** Reference pre-activations, codes and bounds of one row. */
    private record RowCodes(double[] pre, double[] codes, double[] bounds, boolean ambiguous) {
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SaeArchitecture.class, names = "GROUPMAX", mode = EnumSource.Mode.EXCLUDE)
    void shouldScaleCodesByDecoderNormsAndKeepReconstructions(SaeArchitecture architecture) {
        SaeConfig config = SaeConfig.of(architecture, SaeFixtures.D_IN, SaeFixtures.D_SAE);
        config = architecture == SaeArchitecture.TOPK ? config.withK(5).withRescaleActsByDecoderNorm(true) : config;
        config = architecture.isTranscoder() ? config.withDOut(D_OUT) : config;
        SaeWeights weights = SaeFixtures.weights(config, 300 + architecture.ordinal());
        FoldedSae folded = SaeFolding.foldDecoderNorms(config, weights);

        assertFalse(folded.config().rescaleActsByDecoderNorm(), "the rescaling is now in the weights");
        assertEquals(List.of(FoldRecord.DECODER_NORMS_OP),
                folded.config().folds().stream().map(FoldRecord::op).toList());
        int dOut = config.dOut();
        double[] norms = new double[config.dSae()];
        for (int j = 0; j < norms.length; j++) {
            norms[j] = norm(weights.decoder(), j, dOut);
            assertEquals(1, norm(folded.weights().decoder(), j, dOut), 4 * dOut * EPS, "unit decoder row " + j);
        }
        float[] x = SaeFixtures.gaussian(301, ROWS * config.dIn(), 1, 0.1);
        int checkedRows = 0;
        for (int r = 0; r < ROWS; r++) {
            RowCodes before = codes(config, weights, x, r, norms);
            RowCodes after = codes(folded.config(), folded.weights(), x, r, null);
            for (int j = 0; j < config.dSae(); j++) {
                double expected = norms[j] * before.pre()[j];
                assertEquals(expected, after.pre()[j], 2 * after.bounds()[j] + 1e-30,
                        architecture + " row " + r + " latent " + j + ": pre-activation scaled by n_j");
            }
            if (before.ambiguous() || after.ambiguous()) {
                continue;
            }
            checkedRows++;
            for (int j = 0; j < config.dSae(); j++) {
                // topk with rescaling already reports n_j-scaled codes; the others gain the factor n_j
                double scale = architecture == SaeArchitecture.TOPK ? 1 : norms[j];
                assertEquals(scale * before.codes()[j], after.codes()[j], 2 * after.bounds()[j] + 1e-30,
                        architecture + " row " + r + " latent " + j + ": code");
            }
            double[] original = decode(config, weights, before.codes(), norms);
            double[] refolded = decode(folded.config(), folded.weights(), after.codes(), null);
            for (int i = 0; i < dOut; i++) {
                double bound = 0;
                for (int j = 0; j < config.dSae(); j++) {
                    double w = Math.abs(folded.weights().decoder()[j * dOut + i]);
                    bound += 2 * after.bounds()[j] * w + 4 * (dOut + 2) * EPS * Math.abs(after.codes()[j]) * w;
                }
                assertEquals(original[i], refolded[i], bound + 1e-30,
                        architecture + " row " + r + " output " + i + ": reconstruction unchanged");
            }
        }
        assertTrue(checkedRows >= ROWS / 2, "too many rows near a threshold or the top-k boundary: " + checkedRows);
    }

    @Test
    void shouldRefuseDecoderNormsForTopkWithoutRescaling() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TOPK, 4, 6).withK(2);
        SaeWeights weights = SaeFixtures.weights(config, 1);
        assertEquals("cannot fold decoder norms into a topk SAE without rescale_acts_by_decoder_norm: scaling the "
                + "pre-activations would change which k latents are selected", assertThrowsExactly(
                        IllegalArgumentException.class, () -> SaeFolding.foldDecoderNorms(config, weights))
                .getMessage());
    }

    @Test
    void shouldFoldInputScalingSoUnscaledInputsGiveTheSamePreActivations() {
        double s = 0.37;
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, SaeFixtures.D_IN, SaeFixtures.D_SAE)
                .withNormalisation(Normalisation.EXPECTED_AVERAGE_ONLY_IN);
        SaeWeights weights = SaeFixtures.weights(config, 400);
        FoldedSae folded = SaeFolding.foldInputScaling(config, weights, s);
        assertEquals(Normalisation.NONE, folded.config().normalisation());
        assertEquals(List.of(new FoldRecord(FoldRecord.INPUT_SCALING_OP, s,
                "W_enc*s, W_dec/s, b_dec/s; inputs are no longer scaled")), folded.config().folds());
        assertTrue(Arrays.equals(weights.encoderBias(), folded.weights().encoderBias()), "b_enc unchanged");
        assertTrue(Arrays.equals(weights.threshold(), folded.weights().threshold()), "thresholds unchanged");
        int dIn = config.dIn();
        float[] x = SaeFixtures.gaussian(401, ROWS * dIn, 1, 0);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < config.dSae(); j++) {
                double original = 0;
                double sumAbs = Math.abs(weights.encoderBias()[j]);
                double refolded = folded.weights().encoderBias()[j];
                for (int i = 0; i < dIn; i++) {
                    double centred = s * x[r * dIn + i] - weights.decoderBias()[i];
                    original += centred * weights.encoder()[j * dIn + i];
                    sumAbs += Math.abs(centred * weights.encoder()[j * dIn + i]);
                    refolded += (x[r * dIn + i] - (double) folded.weights().decoderBias()[i])
                            * folded.weights().encoder()[j * dIn + i];
                }
                original += weights.encoderBias()[j];
                assertEquals(original, refolded, 6 * EPS * sumAbs, "row " + r + " latent " + j);
            }
            for (int i = 0; i < config.dOut(); i++) {
                assertEquals(weights.decoderBias()[i] / s, folded.weights().decoderBias()[i],
                        EPS * Math.abs(weights.decoderBias()[i] / s), "b_dec/s");
            }
        }
        assertEquals("cannot fold an input scaling factor into an SAE with layer_norm normalisation: the per-row "
                + "normalisation removes any input scale", assertThrowsExactly(IllegalArgumentException.class,
                        () -> SaeFolding.foldInputScaling(config.withNormalisation(Normalisation.LAYER_NORM),
                                weights, s)).getMessage());
        assertEquals("input scaling factor must be finite and > 0, got 0.0", assertThrowsExactly(
                IllegalArgumentException.class, () -> SaeFolding.foldInputScaling(config, weights, 0)).getMessage());
    }

    private static double norm(float[] matrix, int j, int width) {
        double squares = 0;
        for (int i = 0; i < width; i++) {
            squares += (double) matrix[j * width + i] * matrix[j * width + i];
        }
        return Math.sqrt(squares);
    }

    /**
     * sae-formats §8.2 in double. {@code rescaleNorms} are the decoder norms a rescaled topk multiplies by (null when
     * the model does not rescale); a row is ambiguous when a decision (threshold, gate, top-k boundary) lies within
     * twice the rounding bound.
     */
    private static RowCodes codes(SaeConfig config, SaeWeights weights, float[] x, int r, double[] rescaleNorms) {
        int dIn = config.dIn();
        int dSae = config.dSae();
        double[] pre = new double[dSae];
        double[] codes = new double[dSae];
        double[] bounds = new double[dSae];
        double[] magnitude = new double[dSae];
        boolean ambiguous = false;
        boolean rescale = config.rescaleActsByDecoderNorm();
        for (int j = 0; j < dSae; j++) {
            double dot = 0;
            double sumAbs = 0;
            for (int i = 0; i < dIn; i++) {
                double centred = x[r * dIn + i] - (config.applyBDecToInput() ? weights.decoderBias()[i] : 0);
                dot += centred * weights.encoder()[j * dIn + i];
                sumAbs += Math.abs(centred * weights.encoder()[j * dIn + i]);
            }
            double bias = weights.encoderBias()[j];
            pre[j] = dot + bias;
            bounds[j] = 2 * EPS * (sumAbs + Math.abs(bias));
            if (config.architecture() == SaeArchitecture.GATED) {
                double scale = Math.exp(weights.magnitudeLogScale()[j]);
                magnitude[j] = scale * dot + weights.magnitudeBias()[j];
                bounds[j] = 2 * EPS * ((1 + scale) * sumAbs + Math.abs(bias) + Math.abs(weights.magnitudeBias()[j]));
            }
        }
        switch (config.architecture()) {
            case STANDARD, TRANSCODER -> {
                for (int j = 0; j < dSae; j++) {
                    codes[j] = Math.max(pre[j], 0);
                }
            }
            case JUMPRELU, JUMPRELU_TRANSCODER -> {
                for (int j = 0; j < dSae; j++) {
                    double theta = weights.threshold()[j];
                    ambiguous |= Math.abs(pre[j] - theta) <= 2 * bounds[j] + 2 * EPS * Math.abs(theta)
                            || Math.abs(pre[j]) <= 2 * bounds[j];
                    codes[j] = pre[j] > theta && pre[j] > 0 ? pre[j] : 0;
                }
            }
            case GATED -> {
                for (int j = 0; j < dSae; j++) {
                    ambiguous |= Math.abs(pre[j]) <= 2 * bounds[j];
                    codes[j] = pre[j] > 0 ? Math.max(magnitude[j], 0) : 0;
                }
            }
            case TOPK -> {
                double[] ranked = new double[dSae];
                double maxBound = 0;
                for (int j = 0; j < dSae; j++) {
                    ranked[j] = rescale ? pre[j] * rescaleNorms[j] : pre[j];
                    bounds[j] = rescale ? bounds[j] * rescaleNorms[j] : bounds[j];
                    maxBound = Math.max(maxBound, bounds[j]);
                }
                double[] sorted = ranked.clone();
                Arrays.sort(sorted);
                double kth = sorted[dSae - config.k()];
                ambiguous = kth - sorted[dSae - config.k() - 1] <= 4 * maxBound;
                for (int j = 0; j < dSae; j++) {
                    codes[j] = ranked[j] >= kth ? Math.max(ranked[j], 0) : 0;
                }
            }
        }
        return new RowCodes(pre, codes, bounds, ambiguous);
    }

    /** Σ_j f_j·W_dec[j] + b_dec in double; a rescaled topk divides f_j by its decoder norm. */
    private static double[] decode(SaeConfig config, SaeWeights weights, double[] codes, double[] rescaleNorms) {
        int dOut = config.dOut();
        double[] out = new double[dOut];
        for (int i = 0; i < dOut; i++) {
            double sum = weights.decoderBias()[i];
            for (int j = 0; j < config.dSae(); j++) {
                double f = config.rescaleActsByDecoderNorm() ? codes[j] / rescaleNorms[j] : codes[j];
                sum += f * weights.decoder()[j * dOut + i];
            }
            out[i] = sum;
        }
        return out;
    }
}
