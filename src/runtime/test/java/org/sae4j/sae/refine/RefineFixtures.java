package org.sae4j.sae.refine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.sae.SaeWeights;
import org.sae4j.tensor.Layouts;

/**
 * Synthetic SAEs with a known dictionary and inputs built from it: x = z*·D + b_dec + noise with k-sparse
 * non-negative z*, the compressed setting (d_sae > d_in) in which a ReLU encoder cannot be exact.
 */
final class RefineFixtures {

    private RefineFixtures() {
    }

    /** A tied standard SAE (encoder rows = decoder rows, unit norm) with b_enc = −0.1 and a small random b_dec. */
    static Sae tiedSae(long seed, int dIn, int dSae) {
        float[] decoder = unitRows(new SplittableRandom(seed), dSae, dIn);
        float[] encoderBias = new float[dSae];
        java.util.Arrays.fill(encoderBias, -0.1f);
        float[] decoderBias = gaussian(new SplittableRandom(seed + 1), dIn, 0.1);
        return Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, dIn, dSae),
                SaeWeights.of(decoder.clone(), encoderBias, decoder, decoderBias));
    }

    /** A standard SAE whose decoder is {@code decoder} [d_sae, d_in] and whose encoder is its copy. */
    static Sae withDecoder(float[] decoder, float[] decoderBias, int dSae) {
        int dIn = decoderBias.length;
        return Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, dIn, dSae),
                SaeWeights.of(decoder.clone(), new float[dSae], decoder.clone(), decoderBias.clone()));
    }

    /** Codes [rows, d_sae] with {@code k} entries per row drawn uniformly from [low, high). */
    static float[] sparseCodes(long seed, int rows, int dSae, int k, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] codes = new float[rows * dSae];
        for (int r = 0; r < rows; r++) {
            int placed = 0;
            while (placed < k) {
                int j = random.nextInt(dSae);
                if (codes[r * dSae + j] == 0f) {
                    codes[r * dSae + j] = (float) (low + (high - low) * random.nextDouble());
                    placed++;
                }
            }
        }
        return codes;
    }

    /** x = codes·decoder + b_dec + noise·N(0, 1), rounded to fp32 once per element. */
    static float[] inputs(float[] codes, Sae sae, double noise, long seed) {
        int dIn = sae.dIn();
        int dSae = sae.dSae();
        int rows = codes.length / dSae;
        float[] decoder = sae.decoder().toArray(Layouts.F32);
        float[] bias = sae.decoderBias().toArray(Layouts.F32);
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * dIn];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dIn; i++) {
                double sum = bias[i] + noise * gaussian(random);
                for (int j = 0; j < dSae; j++) {
                    sum += (double) codes[r * dSae + j] * decoder[j * dIn + i];
                }
                x[r * dIn + i] = (float) sum;
            }
        }
        return x;
    }

    static MemorySegment offHeap(Arena arena, float[] values) {
        MemorySegment segment = arena.allocate((long) values.length * Float.BYTES, Layouts.ALIGNMENT_BYTES);
        MemorySegment.copy(values, 0, segment, Layouts.F32, 0, values.length);
        return segment;
    }

    static float[] unitRows(SplittableRandom random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            double[] row = new double[cols];
            for (int c = 0; c < cols; c++) {
                row[c] = gaussian(random);
                norm += row[c] * row[c];
            }
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (float) (row[c] / Math.sqrt(norm));
            }
        }
        return values;
    }

    static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (scale * gaussian(random));
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
