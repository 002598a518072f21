package org.sae4j.lab.solve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/**
 * A double-precision reference of the {@link LogCodes} loss L = (1/(B·M))·Σ (exp(log S)·D − X)² + λ·(1/(B·N))·Σ exp(log
 * S), with the finite-difference gradient check shared by the log-code tests.
 *
 * <p>Tolerance of each gradient entry: |g_fp32 − FD| ≤ γ_K·ĝ + γᵈ_n·L_abs/h + T.
 * <ul>
 *   <li>γ_K·ĝ bounds the fp32 rounding of the analytic gradient: ĝ is its formula on absolute values,
 *       ĝ_logS = Ŝ ⊙ ((2/(B·M))·R̂·|D|ᵀ + λ/(B·N)) and ĝ_D = (2/(B·M))·Ŝᵀ·R̂ with R̂ = Ŝ·|D| + |X| (Ŝ &gt; 0). The
 *       longest chain is exp (2, allowing a 2-ulp exponential), the residual (N + 1), the back-projection (M) or the atom gradient (B), and a few
 *       single roundings (scale, λ term, product with Ŝ, stores): K = N + M + B + 9, γ_K = K·u/(1 − K·u),
 *       u = 2⁻²⁴.</li>
 *   <li>γᵈ_n·L_abs/h bounds the double rounding of the two loss evaluations (L_abs: the loss with R̂ for R).</li>
 *   <li>T is the truncation error of the central difference. L is quadratic in one atom entry, so T = 0 for D. Along
 *       one log-code t = log S_bi the loss is f(t) = (1/(B·M))·Σ_m (c_m + eᵗ·D_im)² + λ·eᵗ/(B·N) + const with
 *       c_m = R_bm − Ŝ_bi·D_im, so |f'''| ≤ (1/(B·M))·(2·Σ_m |c_m·D_im|·e^{t+h} + 8·Σ_m D_im²·e^{2(t+h)})
 *       + λ·e^{t+h}/(B·N) on [t − h, t + h], and T = (h²/6)·max|f'''|.</li>
 * </ul>
 * The check also requires each tensor's largest tolerance to stay below 1e-3 of its largest gradient entry.
 */
public final class LogCodesReference {

    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;
    /** Finite-difference step: small enough that the exp curvature stays far below the fp32 tolerance. */
    private static final double H = 1e-4;

    private final int rows;
    private final int latents;
    private final int measurements;
    private final float lambda;
    private final float[] x;
    private final float[] logCodes;
    private final float[] atoms;

    /**
     * @param x        [rows, M]
     * @param logCodes [rows, N]
     * @param atoms    [N, M]
     */
    public LogCodesReference(int rows, int latents, int measurements, float lambda, float[] x, float[] logCodes,
                             float[] atoms) {
        this.rows = rows;
        this.latents = latents;
        this.measurements = measurements;
        this.lambda = lambda;
        this.x = x.clone();
        this.logCodes = logCodes.clone();
        this.atoms = atoms.clone();
    }

    /** A random problem: X standard normal, log S uniform in [−2, 0.5], D with unit-norm rows. */
    public static LogCodesReference random(long seed, int rows, int latents, int measurements, float lambda) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * measurements];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] logCodes = new float[rows * latents];
        for (int i = 0; i < logCodes.length; i++) {
            logCodes[i] = (float) (-2 + 2.5 * random.nextDouble());
        }
        float[] atoms = new float[latents * measurements];
        for (int i = 0; i < latents; i++) {
            double[] row = new double[measurements];
            double norm = 0;
            for (int j = 0; j < measurements; j++) {
                row[j] = random.nextGaussian();
                norm += row[j] * row[j];
            }
            for (int j = 0; j < measurements; j++) {
                atoms[i * measurements + j] = (float) (row[j] / Math.sqrt(norm));
            }
        }
        return new LogCodesReference(rows, latents, measurements, lambda, x, logCodes, atoms);
    }

    /** The same problem with other atoms (for instance the ones a trainer projected). */
    public LogCodesReference withAtoms(float[] newAtoms) {
        return new LogCodesReference(rows, latents, measurements, lambda, x, logCodes, newAtoms);
    }

    public float[] x() {
        return x.clone();
    }

    public float[] logCodes() {
        return logCodes.clone();
    }

    public float[] atoms() {
        return atoms.clone();
    }

    /** The loss at the problem's point, in double. */
    public double loss() {
        return loss(widen(logCodes), widen(atoms));
    }

    /**
     * Asserts the model's loss and both gradients against the double loss and its central finite differences.
     *
     * @param modelLoss    the fp32 model's loss at the problem's point
     * @param logCodesGrad [rows, N] the model's ∂L/∂log S
     * @param atomGrad     [N, M] the model's ∂L/∂D
     * @param context      named in failure messages (seed, class under test)
     */
    public void assertGradients(double modelLoss, float[] logCodesGrad, float[] atomGrad, String context) {
        double absLoss = absLoss();
        double exactLoss = loss();
        assertTrue(Math.abs(modelLoss - exactLoss) <= gamma(2 * (latents + 3) + 4, U32) * absLoss,
                "loss " + modelLoss + " vs double " + exactLoss + " (" + context + ")");
        double[] codes = codes();
        double[] absResidual = absResidual(codes);
        double scale = 2.0 / (rows * measurements);
        double gammaK = gamma(latents + measurements + rows + 9, U32);
        double roundingFd = gamma(2 * (latents + 2) + rows * measurements + rows * latents + 8, U64) * absLoss / H;

        double maxGrad = 0;
        double maxTol = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < latents; i++) {
                double magnitude = 0;
                for (int m = 0; m < measurements; m++) {
                    magnitude += absResidual[r * measurements + m] * Math.abs(atoms[i * measurements + m]);
                }
                magnitude = codes[r * latents + i] * (scale * magnitude + (double) lambda / (rows * latents));
                double fd = finiteDifference(true, r * latents + i);
                double tol = gammaK * magnitude + roundingFd + logCodeTruncation(codes, r, i);
                maxGrad = Math.max(maxGrad, Math.abs(fd));
                maxTol = Math.max(maxTol, tol);
                double actual = logCodesGrad[r * latents + i];
                assertTrue(Math.abs(actual - fd) <= tol, "dL/dlogS[" + r + "," + i + "] = " + actual
                        + ", finite difference " + fd + ", tolerance " + tol + " (" + context + ")");
            }
        }
        assertTrue(maxTol < 1e-3 * maxGrad, "log S: tolerance " + maxTol + " too loose for gradients up to " + maxGrad
                + " (" + context + ")");

        maxGrad = 0;
        maxTol = 0;
        for (int i = 0; i < latents; i++) {
            for (int m = 0; m < measurements; m++) {
                double magnitude = 0;
                for (int r = 0; r < rows; r++) {
                    magnitude += codes[r * latents + i] * absResidual[r * measurements + m];
                }
                double fd = finiteDifference(false, i * measurements + m);
                double tol = gammaK * scale * magnitude + roundingFd;
                maxGrad = Math.max(maxGrad, Math.abs(fd));
                maxTol = Math.max(maxTol, tol);
                double actual = atomGrad[i * measurements + m];
                assertTrue(Math.abs(actual - fd) <= tol, "dL/dD[" + i + "," + m + "] = " + actual
                        + ", finite difference " + fd + ", tolerance " + tol + " (" + context + ")");
            }
        }
        assertTrue(maxTol < 1e-3 * maxGrad, "D: tolerance " + maxTol + " too loose for gradients up to " + maxGrad
                + " (" + context + ")");
    }

    private double loss(double[] logS, double[] d) {
        double squares = 0;
        double sum = 0;
        double[] codes = new double[logS.length];
        for (int i = 0; i < logS.length; i++) {
            codes[i] = Math.exp(logS[i]);
            sum += codes[i];
        }
        for (int r = 0; r < rows; r++) {
            for (int m = 0; m < measurements; m++) {
                double value = -x[r * measurements + m];
                for (int i = 0; i < latents; i++) {
                    value += codes[r * latents + i] * d[i * measurements + m];
                }
                squares += value * value;
            }
        }
        return squares / (rows * measurements) + lambda * sum / (rows * latents);
    }

    private double[] codes() {
        double[] codes = new double[logCodes.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = Math.exp(logCodes[i]);
        }
        return codes;
    }

    /** R̂ = Ŝ·|D| + |X|, [rows, M]. */
    private double[] absResidual(double[] codes) {
        double[] result = new double[rows * measurements];
        for (int r = 0; r < rows; r++) {
            for (int m = 0; m < measurements; m++) {
                double value = Math.abs(x[r * measurements + m]);
                for (int i = 0; i < latents; i++) {
                    value += codes[r * latents + i] * Math.abs(atoms[i * measurements + m]);
                }
                result[r * measurements + m] = value;
            }
        }
        return result;
    }

    private double absLoss() {
        double[] codes = codes();
        double squares = 0;
        for (double value : absResidual(codes)) {
            squares += value * value;
        }
        double sum = 0;
        for (double code : codes) {
            sum += code;
        }
        return squares / (rows * measurements) + lambda * sum / (rows * latents);
    }

    /** (h²/6)·max|f'''| along log S_ri over [t − h, t + h]. */
    private double logCodeTruncation(double[] codes, int r, int i) {
        double grow = Math.exp(H);
        double linear = 0;
        double quadratic = 0;
        for (int m = 0; m < measurements; m++) {
            double residual = -x[r * measurements + m];
            for (int n = 0; n < latents; n++) {
                residual += codes[r * latents + n] * atoms[n * measurements + m];
            }
            double d = atoms[i * measurements + m];
            double rest = residual - codes[r * latents + i] * d;
            linear += Math.abs(rest * d);
            quadratic += d * d;
        }
        double code = codes[r * latents + i] * grow;
        double third = (2 * linear * code + 8 * quadratic * code * code) / (rows * measurements)
                + lambda * code / (rows * latents);
        // Twice the bound, for the rounding of the terms above.
        return 2 * H * H / 6 * third;
    }

    private double finiteDifference(boolean logCodeEntry, int index) {
        double[] logS = widen(logCodes);
        double[] d = widen(atoms);
        double[] target = logCodeEntry ? logS : d;
        double centre = target[index];
        target[index] = centre + H;
        double plus = loss(logS, d);
        target[index] = centre - H;
        double minus = loss(logS, d);
        return (plus - minus) / (2 * H);
    }

    private static double[] widen(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static double gamma(int n, double u) {
        return n * u / (1 - n * u);
    }
}
