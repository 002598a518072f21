package org.sae4j.solve;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.sae4j.tensor.DenseMatrix;

/**
 * Double-precision reference of {@link Fista} for small problems, plus the rounding-error model the tests use.
 *
 * <p>Error model (u = 2⁻²⁴, γ_n = n·u/(1 − n·u)): with A(Z) = |Z|·(|D|·|D|ᵀ) + |X|·|D|ᵀ, every fp32 gradient entry
 * of either route, image combination included, is within {@code γ_K·2·(A(Z_k) + A(Z_{k−1}))} of the exact one,
 * K = N + M + 4 (a GEMM of depth N for the image, one of depth M for the gradient or the Gram/X·Dᵀ products, and at
 * most four more roundings in the axpy and (1+β)/β combination, with 1 + β ≤ 2). One iteration then adds at most
 * <pre>{@code
 *   δ_i = s·γ_K·2·(A(Z_k) + A(Z_{k−1}))_i      gradient
 *       + 3u·(2|Z_k| + |Z_{k−1}|)_i             extrapolation Y = (1+β)Z_k − βZ_{k−1}
 *       + 2u·(|Y| + s·|∇(Y)|)_i                 V = Y − s·∇
 *       + u·(|V| + s·λ)_i                       proximal step
 * }</pre>
 * to the iterate. The proximal map and the gradient step (s ≤ 1/L) are non-expansive in ℓ2, so for ISTA the errors
 * of T iterations add up: ‖Z̃_T − Z_T‖₂ ≤ Σ_k ‖δ_k‖₂. For FISTA the bound is the linearised one: the momentum
 * recurrence e_{k+1} = e_k + β(e_k − e_{k−1}) + δ_k with 0 ≤ β &lt; 1 lets an error grow by at most its own size at
 * each later step, so ‖Z̃_T − Z_T‖₂ ≤ Σ_k (T − k + 1)·‖δ_k‖₂.
 */
public final class FistaReference {

    public static final double UNIT_ROUNDOFF = 0x1p-24;

    final int batch;
    final int latents;
    final int dModel;
    final double[] x;        // [B, M]
    final double[] d;        // [N, M]
    private final double[] absGram;   // [N, N] |D|·|D|ᵀ
    private final double[] absXd;     // [B, N] |X|·|D|ᵀ

    public FistaReference(float[] x, float[] d, int batch, int latents, int dModel) {
        this.batch = batch;
        this.latents = latents;
        this.dModel = dModel;
        this.x = widen(x);
        this.d = widen(d);
        this.absGram = new double[latents * latents];
        for (int i = 0; i < latents; i++) {
            for (int j = 0; j < latents; j++) {
                double s = 0;
                for (int c = 0; c < dModel; c++) {
                    s += Math.abs(this.d[i * dModel + c]) * Math.abs(this.d[j * dModel + c]);
                }
                absGram[i * latents + j] = s;
            }
        }
        this.absXd = new double[batch * latents];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < latents; j++) {
                double s = 0;
                for (int c = 0; c < dModel; c++) {
                    s += Math.abs(this.x[b * dModel + c]) * Math.abs(this.d[j * dModel + c]);
                }
                absXd[b * latents + j] = s;
            }
        }
    }

    /** Result of a reference run: final codes, the fp32 error bound on them, and the objective trace. */
    record Run(double[] codes, double errorBound, double[] trace) {
    }

    public static double gamma(int n) {
        return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF);
    }

    public int depth() {
        return latents + dModel + 4;
    }

    /** Residual Z·D − X. */
    public double[] residual(double[] z) {
        double[] r = new double[batch * dModel];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < dModel; c++) {
                double s = -x[b * dModel + c];
                for (int j = 0; j < latents; j++) {
                    s += z[b * latents + j] * d[j * dModel + c];
                }
                r[b * dModel + c] = s;
            }
        }
        return r;
    }

    /** ∇(Z) = (Z·D − X)·Dᵀ. */
    public double[] gradient(double[] z) {
        double[] r = residual(z);
        double[] g = new double[batch * latents];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < latents; j++) {
                double s = 0;
                for (int c = 0; c < dModel; c++) {
                    s += r[b * dModel + c] * d[j * dModel + c];
                }
                g[b * latents + j] = s;
            }
        }
        return g;
    }

    /** f(Z) = ½‖Z·D − X‖² + λ‖Z‖₁. */
    public double objective(double[] z, double lambda) {
        double data = 0;
        for (double r : residual(z)) {
            data += r * r;
        }
        double l1 = 0;
        for (double v : z) {
            l1 += Math.abs(v);
        }
        return 0.5 * data + lambda * l1;
    }

    /** A(Z) = |Z|·(|D|·|D|ᵀ) + |X|·|D|ᵀ, the magnitude a gradient entry's rounding error scales with. */
    public double[] magnitude(double[] z) {
        double[] a = absXd.clone();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < latents; i++) {
                double zi = Math.abs(z[b * latents + i]);
                if (zi == 0) {
                    continue;
                }
                for (int j = 0; j < latents; j++) {
                    a[b * latents + j] += zi * absGram[i * latents + j];
                }
            }
        }
        return a;
    }

    /**
     * Bound on |f̃ − f(Z)| for the fp32 objective of either route at Z: the residual form's
     * γ_K·(‖R‖·‖|Z|·|D| + |X|‖ + ‖R‖²), the Gram form's γ_K·(‖X‖² + ⟨|Z|, A(Z)⟩), and 3γ_N·λ‖Z‖₁ for the L1 sum.
     */
    public double objectiveErrorBound(double[] z, double lambda) {
        double[] r = residual(z);
        double rr = 0;
        for (double v : r) {
            rr += v * v;
        }
        double spread = 0;
        double xx = 0;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < dModel; c++) {
                double s = Math.abs(x[b * dModel + c]);
                xx += s * s;
                for (int j = 0; j < latents; j++) {
                    s += Math.abs(z[b * latents + j]) * Math.abs(d[j * dModel + c]);
                }
                spread += s * s;
            }
        }
        double[] a = magnitude(z);
        double za = 0;
        double l1 = 0;
        for (int i = 0; i < z.length; i++) {
            za += Math.abs(z[i]) * a[i];
            l1 += Math.abs(z[i]);
        }
        double gammaK = gamma(depth());
        return gammaK * (Math.sqrt(rr) * Math.sqrt(spread) + rr + xx + za) + 3 * gamma(latents) * lambda * l1;
    }

    /**
     * Runs {@code iterations} reference iterations from {@code start} with the same scalar parameters as the fp32
     * solver (step, threshold s·λ rounded to float, β rounded to float) and accumulates the error bound of the class
     * Javadoc.
     */
    Run run(double[] start, float step, float lambda, boolean nonNegative, boolean accelerated, int iterations) {
        int size = batch * latents;
        double s = step;
        double threshold = step * lambda;
        double[] z = start.clone();
        if (nonNegative) {
            for (int i = 0; i < size; i++) {
                z[i] = Math.max(z[i], 0);
            }
        }
        double[] zPrev = z.clone();
        double[] trace = new double[iterations + 1];
        trace[0] = objective(z, lambda);
        double[] local = new double[iterations + 1];
        double t = 1;
        float beta = 0f;
        for (int k = 1; k <= iterations; k++) {
            double[] y = new double[size];
            for (int i = 0; i < size; i++) {
                y[i] = accelerated ? (1 + (double) beta) * z[i] - beta * zPrev[i] : z[i];
            }
            double[] g = gradient(y);
            double[] next = new double[size];
            for (int i = 0; i < size; i++) {
                double v = y[i] - s * g[i];
                next[i] = nonNegative ? Math.max(v - threshold, 0)
                        : Math.signum(v) * Math.max(Math.abs(v) - threshold, 0);
            }
            double squared = 0;
            for (double delta : localError(z, zPrev, y, g, step, lambda)) {
                squared += delta * delta;
            }
            local[k] = Math.sqrt(squared);
            zPrev = z;
            z = next;
            trace[k] = objective(z, lambda);
            if (accelerated) {
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                beta = (float) ((t - 1) / tNext);
                t = tNext;
            }
        }
        double bound = 0;
        for (int k = 1; k <= iterations; k++) {
            bound += (accelerated ? iterations - k + 1 : 1) * local[k];
        }
        return new Run(z, bound, trace);
    }

    /**
     * Per-entry bound δ on the rounding error one fp32 iteration adds to the iterate (class Javadoc), for the step
     * from Z_k = {@code z} (previous iterate {@code zPrev}) through Y = {@code y} with exact gradient {@code g}.
     */
    public double[] localError(double[] z, double[] zPrev, double[] y, double[] g, float step, float lambda) {
        double s = step;
        double threshold = step * lambda;
        double gammaK = gamma(depth());
        double[] aNow = magnitude(z);
        double[] aPrev = magnitude(zPrev);
        double[] delta = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double v = y[i] - s * g[i];
            delta[i] = s * gammaK * 2 * (aNow[i] + aPrev[i])
                    + 3 * UNIT_ROUNDOFF * (2 * Math.abs(z[i]) + Math.abs(zPrev[i]))
                    + 2 * UNIT_ROUNDOFF * (Math.abs(y[i]) + s * Math.abs(g[i]))
                    + UNIT_ROUNDOFF * (Math.abs(v) + threshold);
        }
        return delta;
    }

    // ---- test data ----

    /** A [rows, cols] matrix of N(0, 1) values. */
    public static float[] gaussian(SplittableRandom random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** A [rows, cols] matrix of N(0, 1) rows scaled to unit L2 norm. */
    public static float[] unitRows(SplittableRandom random, int rows, int cols) {
        float[] values = gaussian(random, rows, cols);
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int c = 0; c < cols; c++) {
                norm += (double) values[r * cols + c] * values[r * cols + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (float) (values[r * cols + c] / norm);
            }
        }
        return values;
    }

    /** A heap fp32 view of {@code values}. */
    public static DenseMatrix matrix(float[] values, int rows, int cols) {
        return DenseMatrix.f32(MemorySegment.ofArray(values), rows, cols);
    }

    public static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
