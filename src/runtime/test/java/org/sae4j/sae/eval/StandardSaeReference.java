package org.sae4j.sae.eval;

import java.util.SplittableRandom;
import org.sae4j.sae.SaeWeights;

/**
 * A double-precision oracle for a standard (ReLU) SAE without input normalisation that subtracts b_dec from its
 * input, plus seeded weights and inputs; sizes are small so plain loops suffice.
 */
public final class StandardSaeReference {

    private final int dIn;
    private final int dSae;
    private final SaeWeights weights;

    /** Weights of scale 1/√d_in and biases of scale 0.3, so that roughly half the latents fire. */
    public StandardSaeReference(int dIn, int dSae, long seed) {
        this.dIn = dIn;
        this.dSae = dSae;
        double scale = 1 / Math.sqrt(dIn);
        this.weights = SaeWeights.of(gaussian(seed, dSae * dIn, scale, 0), gaussian(seed + 1, dSae, 0.3, 0),
                gaussian(seed + 2, dSae * dIn, scale, 0), gaussian(seed + 3, dIn, 0.3, 0));
    }

    /** The weights in engine orientation (encoder and decoder one row per latent). */
    public SaeWeights weights() {
        return weights;
    }

    /** Codes [rows, d_sae] of x [rows, d_in]: ReLU((x − b_dec)·W_encᵀ + b_enc). */
    public double[] encode(float[] x) {
        int rows = x.length / dIn;
        double[] z = new double[rows * dSae];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dSae; j++) {
                double sum = weights.encoderBias()[j];
                for (int i = 0; i < dIn; i++) {
                    sum += ((double) x[r * dIn + i] - weights.decoderBias()[i]) * weights.encoder()[j * dIn + i];
                }
                z[r * dSae + j] = Math.max(sum, 0);
            }
        }
        return z;
    }

    /** Reconstructions [rows, d_in] of codes z [rows, d_sae]: z·W_dec + b_dec. */
    public double[] decode(double[] z) {
        int rows = z.length / dSae;
        double[] out = new double[rows * dIn];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dIn; i++) {
                double sum = weights.decoderBias()[i];
                for (int j = 0; j < dSae; j++) {
                    sum += z[r * dSae + j] * weights.decoder()[j * dIn + i];
                }
                out[r * dIn + i] = sum;
            }
        }
        return out;
    }

    /** Gaussian values with standard deviation {@code scale} plus {@code shift}. */
    public static float[] gaussian(long seed, int n, double scale, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            values[i] = (float) (shift + scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return values;
    }

    /** Reference metrics by their definitions, two passes in double: {fvu, legacyEv, mseSum, cos, ratio, γ}. */
    public static double[] metrics(float[] x, double[] xHat, int width) {
        int rows = x.length / width;
        double[] mean = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < width; d++) {
                mean[d] += x[r * width + d];
            }
        }
        for (int d = 0; d < width; d++) {
            mean[d] /= rows;
        }
        double error = 0;
        double variance = 0;
        double legacy = 0;
        double cosine = 0;
        double ratio = 0;
        double hatSquared = 0;
        double dot = 0;
        for (int r = 0; r < rows; r++) {
            double tokenError = 0;
            double tokenVariance = 0;
            double xx = 0;
            double hh = 0;
            double xh = 0;
            for (int d = 0; d < width; d++) {
                double value = x[r * width + d];
                double hat = xHat[r * width + d];
                tokenError += (value - hat) * (value - hat);
                tokenVariance += (value - mean[d]) * (value - mean[d]);
                xx += value * value;
                hh += hat * hat;
                xh += value * hat;
            }
            error += tokenError;
            variance += tokenVariance;
            legacy += 1 - tokenError / tokenVariance;
            cosine += xh / Math.sqrt(xx * hh);
            ratio += Math.sqrt(hh / xx);
            hatSquared += hh;
            dot += xh;
        }
        return new double[] {error / variance, legacy / rows, error / rows, cosine / rows, ratio / rows,
            hatSquared / dot};
    }

    /** Widens a float array. */
    public static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
