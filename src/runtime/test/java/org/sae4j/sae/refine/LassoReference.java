package org.sae4j.sae.refine;

/**
 * Double-precision oracle for the non-negative lasso {@code min_z ½‖t − z·D‖² + λ·Σz, z ≥ 0}, one row at a time, by
 * cyclic coordinate descent (each coordinate minimised exactly; converges to the optimum for this convex problem).
 */
final class LassoReference {

    private LassoReference() {
    }

    /** The optimal codes [rows, d_sae] for targets t [rows, d_in] and dictionary d [d_sae, d_in]. */
    static double[] solve(double[] t, double[] d, int rows, int dSae, int dIn, double lambda) {
        double[] z = new double[rows * dSae];
        double[] norms = new double[dSae];
        for (int j = 0; j < dSae; j++) {
            for (int i = 0; i < dIn; i++) {
                norms[j] += d[j * dIn + i] * d[j * dIn + i];
            }
        }
        for (int r = 0; r < rows; r++) {
            double[] residual = new double[dIn];
            System.arraycopy(t, r * dIn, residual, 0, dIn);
            for (int sweep = 0; sweep < 100_000; sweep++) {
                double change = 0;
                for (int j = 0; j < dSae; j++) {
                    double old = z[r * dSae + j];
                    double g = 0;
                    for (int i = 0; i < dIn; i++) {
                        g += d[j * dIn + i] * residual[i];
                    }
                    double updated = Math.max(0, old + (g - lambda) / norms[j]);
                    if (updated != old) {
                        for (int i = 0; i < dIn; i++) {
                            residual[i] -= (updated - old) * d[j * dIn + i];
                        }
                        z[r * dSae + j] = updated;
                        change = Math.max(change, Math.abs(updated - old));
                    }
                }
                if (change < 1e-14) {
                    break;
                }
            }
        }
        return z;
    }

    /** Σ over rows of ½‖t − z·D‖² + λ·Σz. */
    static double objective(double[] t, double[] d, double[] z, int rows, int dSae, int dIn, double lambda) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dIn; i++) {
                double value = t[r * dIn + i];
                for (int j = 0; j < dSae; j++) {
                    value -= z[r * dSae + j] * d[j * dIn + i];
                }
                total += 0.5 * value * value;
            }
            for (int j = 0; j < dSae; j++) {
                total += lambda * z[r * dSae + j];
            }
        }
        return total;
    }

    static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }
}
