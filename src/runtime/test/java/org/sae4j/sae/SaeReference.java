package org.sae4j.sae;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.sae4j.testing.Tolerance;

/**
 * Independent double-precision SAE oracle written from sae-formats §8–§9 (not from the engine): the exact codes of
 * fp32 inputs and weights, with an error bound per value for the fp32 engine and a flag where the engine may
 * legitimately decide the other way (a pre-activation within its bound of a threshold or of the top-k boundary).
 *
 * <p>Bounds: the engine rounds the normalising scale and each normalised and centred input once (error
 * ≤ ε·(2|x_n| + |x'|)) and evaluates a
 * dot product in some order, so |h_engine − h| ≤ 2γ_{d_in+1}(Σ|x'_i w_i| + |b|) + Σ δ_i|w_i| (see
 * {@link Tolerance}). Derived quantities add their own rounding terms where they are computed.
 */
final class SaeReference {

    private static final double EPS = Tolerance.EPS;

    /** Reference codes of one batch. */
    record Codes(int batch, int dSae, double[] values, double[] bounds, boolean[] ambiguous, double[] preActivation) {
    }

    private final SaeConfig config;
    private final SaeWeights weights;
    private final double[] decoderNorms;

    SaeReference(SaeConfig config, SaeWeights weights) {
        this.config = config;
        this.weights = weights;
        int dOut = config.dOut();
        decoderNorms = new double[config.dSae()];
        for (int j = 0; j < config.dSae(); j++) {
            double squares = 0;
            for (int i = 0; i < dOut; i++) {
                double w = weights.decoder()[j * dOut + i];
                squares += w * w;
            }
            decoderNorms[j] = Math.sqrt(squares);
        }
    }

    /** Per-row (shift, scale) so that x = normalised·scale + shift; (0, 1) without normalisation. */
    double[][] normalisation(float[] x) {
        int dIn = config.dIn();
        int batch = x.length / dIn;
        double[][] stats = new double[batch][2];
        for (int r = 0; r < batch; r++) {
            stats[r][1] = 1;
            if (config.normalisation() == Normalisation.LAYER_NORM) {
                double mean = 0;
                for (int i = 0; i < dIn; i++) {
                    mean += x[r * dIn + i];
                }
                mean /= dIn;
                double squares = 0;
                for (int i = 0; i < dIn; i++) {
                    squares += (x[r * dIn + i] - mean) * (x[r * dIn + i] - mean);
                }
                stats[r][0] = mean;
                stats[r][1] = Math.sqrt(squares / (dIn - 1));
            } else if (config.normalisation() == Normalisation.CONSTANT_NORM_RESCALE) {
                double squares = 0;
                for (int i = 0; i < dIn; i++) {
                    squares += (double) x[r * dIn + i] * x[r * dIn + i];
                }
                stats[r][1] = Math.sqrt(squares) / Math.sqrt(dIn);
            }
        }
        return stats;
    }

    private double normalised(float x, double[] stats) {
        return switch (config.normalisation()) {
            case LAYER_NORM -> (x - stats[0]) / (stats[1] + 1e-5f);
            case CONSTANT_NORM_RESCALE -> x / stats[1];
            default -> x;
        };
    }

    Codes encode(float[] x) {
        int dIn = config.dIn();
        int dSae = config.dSae();
        int batch = x.length / dIn;
        double[][] stats = normalisation(x);
        double[] values = new double[batch * dSae];
        double[] bounds = new double[batch * dSae];
        double[] pre = new double[batch * dSae];
        boolean[] ambiguous = new boolean[batch * dSae];
        boolean gated = config.architecture() == SaeArchitecture.GATED;
        for (int r = 0; r < batch; r++) {
            double[] centred = new double[dIn];
            double[] inputError = new double[dIn];
            for (int i = 0; i < dIn; i++) {
                double xn = normalised(x[r * dIn + i], stats[r]);
                centred[i] = config.applyBDecToInput() ? xn - weights.decoderBias()[i] : xn;
                inputError[i] = EPS * (2 * Math.abs(xn) + Math.abs(centred[i]));
            }
            for (int j = 0; j < dSae; j++) {
                double dot = 0;
                double sumAbs = 0;
                double propagated = 0;
                for (int i = 0; i < dIn; i++) {
                    double w = weights.encoder()[j * dIn + i];
                    dot += centred[i] * w;
                    sumAbs += Math.abs(centred[i] * w);
                    propagated += inputError[i] * Math.abs(w);
                }
                double bias = weights.encoderBias()[j];
                double h = dot + bias;
                double bound = Tolerance.dotBound(dIn + 1, sumAbs + Math.abs(bias)) + 1.01 * propagated;
                int at = r * dSae + j;
                if (gated) {
                    double scale = Math.exp(weights.magnitudeLogScale()[j]);
                    double magnitudeBias = weights.magnitudeBias()[j];
                    double magnitude = scale * dot + magnitudeBias;
                    double magnitudeBound = scale * bound + 4 * EPS * (Math.abs(scale * dot) + Math.abs(magnitudeBias));
                    boolean open = h > 0;
                    values[at] = open ? Math.max(magnitude, 0) : 0;
                    bounds[at] = magnitudeBound;
                    ambiguous[at] = Math.abs(h) <= bound || Math.abs(magnitude) <= magnitudeBound;
                    pre[at] = magnitude;
                    continue;
                }
                if (config.rescaleActsByDecoderNorm()) {
                    double norm = decoderNorms[j];
                    bound = norm * bound + (config.dOut() + 6) * EPS * norm * (sumAbs + Math.abs(bias));
                    h *= norm;
                }
                pre[at] = h;
                bounds[at] = bound;
                switch (config.architecture()) {
                    case STANDARD, TRANSCODER, SKIP_TRANSCODER, TOPK, GROUPMAX -> {
                        values[at] = Math.max(h, 0);
                        ambiguous[at] = Math.abs(h) <= bound;
                    }
                    case JUMPRELU, JUMPRELU_TRANSCODER -> {
                        double theta = weights.threshold()[j];
                        values[at] = h > theta && h > 0 ? h : 0;
                        ambiguous[at] = Math.abs(h - theta) <= bound || Math.abs(h) <= bound;
                    }
                    default -> throw new IllegalStateException();
                }
            }
            if (config.architecture() == SaeArchitecture.TOPK) {
                selectTopK(r, pre, bounds, values, ambiguous);
            } else if (config.architecture() == SaeArchitecture.GROUPMAX) {
                selectGroupMax(r, pre, bounds, values, ambiguous);
            }
        }
        return new Codes(batch, dSae, values, bounds, ambiguous, pre);
    }

    /** Keeps the k largest pre-activations of row r (ReLU already applied to values); flags the boundary. */
    private void selectTopK(int r, double[] pre, double[] bounds, double[] values, boolean[] ambiguous) {
        int dSae = config.dSae();
        int k = Math.min(config.k(), dSae);
        int base = r * dSae;
        Integer[] order = IntStream.range(0, dSae).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -pre[base + j]).thenComparingInt(j -> j));
        double maxBound = 0;
        for (int j = 0; j < dSae; j++) {
            maxBound = Math.max(maxBound, bounds[base + j]);
        }
        double kth = pre[base + order[k - 1]];
        double next = k < dSae ? pre[base + order[k]] : Double.NEGATIVE_INFINITY;
        for (int rank = 0; rank < dSae; rank++) {
            int j = order[rank];
            if (rank >= k) {
                values[base + j] = 0;
            }
            double h = pre[base + j];
            // a kept entry can lose its place to an outsider within twice the bound, and vice versa
            boolean nearBoundary = rank < k ? h - next <= 2 * maxBound : kth - h <= 2 * maxBound;
            if (k < dSae && nearBoundary) {
                ambiguous[base + j] = true;
            }
        }
    }

    /**
     * sparsify groupmax (sae-formats §8.3): within each of the k contiguous groups of d_sae/k latents only the first
     * latent holding the group's largest ReLU value keeps it. A latent whose pre-activation lies within twice the
     * largest bound of the group's maximum may swap places with it in fp32, so both are flagged.
     */
    private void selectGroupMax(int r, double[] pre, double[] bounds, double[] values, boolean[] ambiguous) {
        int dSae = config.dSae();
        int width = dSae / config.k();
        int base = r * dSae;
        for (int start = 0; start < dSae; start += width) {
            int best = start;
            double maxBound = 0;
            for (int j = start; j < start + width; j++) {
                if (values[base + j] > values[base + best]) {
                    best = j;
                }
                maxBound = Math.max(maxBound, bounds[base + j]);
            }
            double top = pre[base + best];
            for (int j = start; j < start + width; j++) {
                if (j != best) {
                    values[base + j] = 0;
                    if (top - pre[base + j] <= 2 * maxBound && top > -maxBound) {
                        ambiguous[base + j] = true;
                        ambiguous[base + best] = true;
                    }
                }
            }
        }
    }

    /**
     * The skip term {@code x·W_skipᵀ} of the raw rows x (sae-formats §5.4, §8.3) with per-value bounds of an fp32
     * dot product; {@code [0]} values, {@code [1]} bounds, or null without a skip matrix.
     */
    double[][] skipTerm(float[] x) {
        float[] skip = weights.skip();
        if (skip == null) {
            return null;
        }
        int dIn = config.dIn();
        int dOut = config.dOut();
        int batch = x.length / dIn;
        double[] out = new double[batch * dOut];
        double[] bounds = new double[batch * dOut];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < dOut; o++) {
                double sum = 0;
                double sumAbs = 0;
                for (int i = 0; i < dIn; i++) {
                    double term = (double) x[r * dIn + i] * skip[o * dIn + i];
                    sum += term;
                    sumAbs += Math.abs(term);
                }
                out[r * dOut + o] = sum;
                bounds[r * dOut + o] = Tolerance.dotBound(dIn, sumAbs);
            }
        }
        return new double[][] {out, bounds};
    }

    /**
     * Exact {@code Σ_j f_j·W_dec[j,:] + b_dec} for the engine's own codes f (so decode is checked independently of
     * encode), with bounds; {@code [0]} values, {@code [1]} bounds. Rescaled topk models decode f_j / ‖W_dec[j]‖.
     */
    double[][] decode(float[] codes, int batch) {
        int dSae = config.dSae();
        int dOut = config.dOut();
        double[] out = new double[batch * dOut];
        double[] bounds = new double[batch * dOut];
        for (int r = 0; r < batch; r++) {
            for (int i = 0; i < dOut; i++) {
                double bias = weights.decoderBias()[i];
                double sum = bias;
                double sumAbs = Math.abs(bias);
                int terms = 1;
                for (int j = 0; j < dSae; j++) {
                    double f = codes[r * dSae + j];
                    if (f == 0) {
                        continue;
                    }
                    if (config.rescaleActsByDecoderNorm()) {
                        f /= decoderNorms[j];
                    }
                    double term = f * weights.decoder()[j * dOut + i];
                    sum += term;
                    sumAbs += Math.abs(term);
                    terms++;
                }
                out[r * dOut + i] = sum;
                double folding = config.rescaleActsByDecoderNorm() ? (dOut + 6) * EPS * sumAbs : 0;
                bounds[r * dOut + i] = Tolerance.dotBound(config.dSae() + 1, sumAbs) + folding;
            }
        }
        return new double[][] {out, bounds};
    }
}
