package org.sae4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Checks the analytic gradients of {@link KnownDictionarySae} against central finite differences of the loss
 * evaluated in double precision on a tiny problem (B = 5, N = 6, M = 4, with a bias and λ = 0.05).
 *
 * <p>Tolerance. Away from ReLU kinks the loss restricted to one parameter is a quadratic (the reconstruction term)
 * plus a linear term (λ·mean Ŝ over the active codes), so the central difference (L(θ + h) − L(θ − h))/(2h) has no
 * truncation error as long as no pre-activation changes sign within ±h·max|X| (the test only uses points with a
 * margin of at least 4·h·max(1, max|X|) from 0). What remains is:
 * <ul>
 *   <li>the double rounding of the two loss evaluations, at most γᵈ_n·L_abs each with n = B·M + B·N + N + M + 4
 *       terms and L_abs the loss computed from absolute values, divided by 2h: γᵈ_n·L_abs/h;</li>
 *   <li>the fp32 rounding of the analytic gradient: a chain of dot products of lengths M + 1 (pre-activation),
 *       N (reconstruction), 1 (residual), M (back-projection), 1 (λ term) and B (weight gradient), plus the final
 *       rounding, each bounded relative to the same chain evaluated on absolute values (A_ij below); to first order
 *       the relative bounds add, giving γ_K·A_ij with K = 2M + N + B + 8 and γ_K = K·u/(1 − K·u), u = 2⁻²⁴.</li>
 * </ul>
 * A_ij = Σ_b 1[P_bi &gt; 0]·((2/(B·M))·Σ_m (Σ_n Ŝ_bn|D_nm| + |X_bm|)·|D_im| + λ/(B·N))·|X_bj| (with |X_bj|
 * replaced by 1 for the bias). The test also requires the tolerance to stay below 1e-3 of the largest gradient, so a
 * wrong factor or a wrong mask cannot pass.
 */
final class KnownDictionarySaeGradientTest {

    private static final int B = 5;
    private static final int N = 6;
    private static final int M = 4;
    private static final float LAMBDA = 0.05f;
    private static final double H = 1e-3;
    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;

    @Test
    void shouldMatchCentralFiniteDifferencesWhenNoPreActivationIsNearZero() {
        Problem p = Problem.find(1001L);
        SaeTrainingOptions options = SaeTrainingOptions.paper(7L).withBias(true).withL1Coefficient(LAMBDA);
        try (KnownDictionarySae sae = new KnownDictionarySae(N, M, p.d, p.x, p.x, new float[B * N], options)) {
            sae.setEncoderWeights(p.w);
            sae.setEncoderBias(p.b);
            double modelLoss = sae.computeGradients();
            float[] gw = sae.weightGradient();
            float[] gb = sae.biasGradient();

            double exactLoss = p.loss(p.w, p.b);
            assertTrue(Math.abs(modelLoss - exactLoss) <= gamma(M + N + 4, U32) * p.absLoss() * 4,
                    "loss " + modelLoss + " vs double " + exactLoss + " (seed " + p.seed + ")");

            double[] activeGrad = p.activeCodeMagnitudes();
            int k = 2 * M + N + B + 8;
            double fdError = gamma(B * M + B * N + N + M + 4, U64) * p.absLoss() / H;
            double maxGrad = 0;
            double maxTol = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < M; j++) {
                    double fd = p.finiteDifference(i * M + j, false);
                    double magnitude = 0;
                    for (int r = 0; r < B; r++) {
                        magnitude += activeGrad[r * N + i] * Math.abs(p.x[r * M + j]);
                    }
                    double tol = gamma(k, U32) * magnitude + fdError;
                    maxGrad = Math.max(maxGrad, Math.abs(fd));
                    maxTol = Math.max(maxTol, tol);
                    double actual = gw[i * M + j];
                    assertTrue(Math.abs(actual - fd) <= tol, "dL/dW[" + i + "," + j + "] = " + actual
                            + ", finite difference " + fd + ", tolerance " + tol + " (seed " + p.seed + ")");
                }
                double fd = p.finiteDifference(i, true);
                double magnitude = 0;
                for (int r = 0; r < B; r++) {
                    magnitude += activeGrad[r * N + i];
                }
                double tol = gamma(k, U32) * magnitude + fdError;
                maxGrad = Math.max(maxGrad, Math.abs(fd));
                maxTol = Math.max(maxTol, tol);
                assertTrue(Math.abs(gb[i] - fd) <= tol, "dL/db[" + i + "] = " + gb[i] + ", finite difference " + fd
                        + ", tolerance " + tol + " (seed " + p.seed + ")");
            }
            assertTrue(maxTol < 1e-3 * maxGrad, "tolerance " + maxTol + " too loose for gradients up to " + maxGrad);
        }
    }

    private static double gamma(int n, double u) {
        return n * u / (1 - n * u);
    }

    /** A random tiny problem whose pre-activations all keep a margin from 0 larger than the finite-difference step. */
    private static final class Problem {
        final long seed;
        final float[] x = new float[B * M];
        final float[] d = new float[N * M];
        final float[] w = new float[N * M];
        final float[] b = new float[N];

        private Problem(long seed) {
            this.seed = seed;
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) gaussian(random);
            }
            for (int i = 0; i < N; i++) {
                double norm = 0;
                double[] row = new double[M];
                for (int j = 0; j < M; j++) {
                    row[j] = gaussian(random);
                    norm += row[j] * row[j];
                }
                for (int j = 0; j < M; j++) {
                    d[i * M + j] = (float) (row[j] / Math.sqrt(norm));
                }
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextDouble() - 0.5);
            }
            for (int i = 0; i < N; i++) {
                b[i] = (float) (0.5 * (random.nextDouble() - 0.5));
            }
        }

        /** The first seed from {@code start} on whose problem has a safe margin and a mix of active and dead codes. */
        static Problem find(long start) {
            for (long seed = start; ; seed++) {
                Problem p = new Problem(seed);
                if (p.wellConditioned()) {
                    return p;
                }
            }
        }

        private boolean wellConditioned() {
            double maxX = 1;
            for (float v : x) {
                maxX = Math.max(maxX, Math.abs(v));
            }
            int active = 0;
            for (int r = 0; r < B; r++) {
                for (int i = 0; i < N; i++) {
                    double pre = preActivation(w, b, r, i);
                    if (Math.abs(pre) < 4 * H * maxX) {
                        return false;
                    }
                    active += pre > 0 ? 1 : 0;
                }
            }
            return active >= B * N / 3 && active <= 2 * B * N / 3;
        }

        double preActivation(float[] weights, float[] bias, int r, int i) {
            double sum = bias[i];
            for (int j = 0; j < M; j++) {
                sum += (double) x[r * M + j] * weights[i * M + j];
            }
            return sum;
        }

        double loss(float[] weights, float[] bias) {
            return loss(toDouble(weights), toDouble(bias));
        }

        double loss(double[] weights, double[] bias) {
            double squares = 0;
            double l1 = 0;
            for (int r = 0; r < B; r++) {
                double[] z = new double[N];
                for (int i = 0; i < N; i++) {
                    double sum = bias[i];
                    for (int j = 0; j < M; j++) {
                        sum += x[r * M + j] * weights[i * M + j];
                    }
                    z[i] = Math.max(sum, 0);
                    l1 += z[i];
                }
                for (int j = 0; j < M; j++) {
                    double xhat = 0;
                    for (int i = 0; i < N; i++) {
                        xhat += z[i] * d[i * M + j];
                    }
                    double residual = xhat - x[r * M + j];
                    squares += residual * residual;
                }
            }
            return squares / (B * M) + LAMBDA * l1 / (B * N);
        }

        /** The loss from absolute values, bounding every partial sum of both loss terms. */
        double absLoss() {
            double squares = 0;
            double l1 = 0;
            for (int r = 0; r < B; r++) {
                for (int j = 0; j < M; j++) {
                    double magnitude = Math.abs(x[r * M + j]);
                    for (int i = 0; i < N; i++) {
                        magnitude += absCode(r, i) * Math.abs(d[i * M + j]);
                    }
                    squares += magnitude * magnitude;
                }
                for (int i = 0; i < N; i++) {
                    l1 += absCode(r, i);
                }
            }
            return squares / (B * M) + LAMBDA * l1 / (B * N);
        }

        private double absCode(int r, int i) {
            if (preActivation(w, b, r, i) <= 0) {
                return 0;
            }
            double sum = Math.abs(b[i]);
            for (int j = 0; j < M; j++) {
                sum += Math.abs((double) x[r * M + j] * w[i * M + j]);
            }
            return sum;
        }

        /** [B, N]: 1[P &gt; 0]·((2/(B·M))·Σ_m (Σ_n |Ŝ||D| + |X|)·|D_im| + λ/(B·N)) from absolute values. */
        double[] activeCodeMagnitudes() {
            double[] result = new double[B * N];
            for (int r = 0; r < B; r++) {
                double[] residual = new double[M];
                for (int j = 0; j < M; j++) {
                    residual[j] = Math.abs(x[r * M + j]);
                    for (int i = 0; i < N; i++) {
                        residual[j] += absCode(r, i) * Math.abs(d[i * M + j]);
                    }
                }
                for (int i = 0; i < N; i++) {
                    if (preActivation(w, b, r, i) <= 0) {
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < M; j++) {
                        sum += residual[j] * Math.abs(d[i * M + j]);
                    }
                    result[r * N + i] = 2.0 / (B * M) * sum + LAMBDA / (B * N);
                }
            }
            return result;
        }

        double finiteDifference(int index, boolean biasEntry) {
            double[] weights = toDouble(w);
            double[] bias = toDouble(b);
            double[] target = biasEntry ? bias : weights;
            double centre = target[index];
            target[index] = centre + H;
            double plus = loss(weights, bias);
            target[index] = centre - H;
            double minus = loss(weights, bias);
            return (plus - minus) / (2 * H);
        }

        private static double[] toDouble(float[] values) {
            double[] result = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                result[i] = values[i];
            }
            return result;
        }

        private static double gaussian(SplittableRandom random) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
