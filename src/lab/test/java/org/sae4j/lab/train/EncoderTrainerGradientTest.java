package org.sae4j.lab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sae4j.optim.AdamOptions;
import org.sae4j.optim.Parameter;

/**
 * Checks the analytic gradients of {@link EncoderTrainer#computeGradients()} against central finite differences of
 * the loss computed by an independent double-precision forward pass, on tiny problems (B = 5, N = 6, M = 4) for every
 * target and for SAE, one- and two-hidden-layer MLP and top-k encoders.
 *
 * <p>Tolerance of each gradient entry: |g_fp32 − FD| ≤ γ_K·ĝ + γᵈ_n·L_abs/h + T, where
 * <ul>
 *   <li>γ_K·ĝ bounds the fp32 rounding of the analytic gradient: ĝ is the trainer's backward chain evaluated with
 *       absolute values and the forward pass's masks (Â_0 = |X|, Â_l = mask_l ⊙ (Â_{l−1}·|W_l|ᵀ + |b_l|),
 *       R̂ = Â_L·|D| + |X|, Ĝ_L = mask_L ⊙ ((2/(B·M))·R̂·|D|ᵀ + λ/(B·N)), Ĝ_{l−1} = mask_{l−1} ⊙ (Ĝ_l·|W_l|),
 *       ĝW_l = Ĝ_lᵀ·Â_{l−1}, ĝb_l = Ĝ_lᵀ·1, ĝD = (2/(B·M))·Â_Lᵀ·R̂); to first order the relative bounds of the
 *       chained dot products add, so K is the sum of the dot-product lengths along the longest chain
 *       (Σ_l (w_{l−1} + 1) forward, N + 1 for the residual, M for ∂L/∂Ŝ, Σ_{l≥2} w_l back, B for the weight
 *       gradient) plus 8 single roundings (scales, the λ term, the final stores), and γ_K = K·u/(1 − K·u),
 *       u = 2⁻²⁴. For the cosine loss ∂L/∂Ŝ is computed in double from the fp32 codes: the gradient of column j is
 *       −(1/N)·(I − ûûᵀ)ŝ/‖z_j‖ with Jacobian norm ≤ 3/(N·‖z_j‖²), so a code error ‖δz_j‖ ≤ γ·‖Â_j‖ moves it by at
 *       most 3γ·‖Â_j‖/(N·‖z_j‖²); Ĝ_L is then mask_L ⊙ (|∂L/∂Ŝ| + 3‖Â_j‖/(N·‖z_j‖²)).</li>
 *   <li>γᵈ_n·L_abs/h bounds the double rounding of the two loss evaluations, L_abs being the loss from absolute
 *       values (for the cosine loss (1/N)·Σ_j (3‖Â_j‖/‖z_j‖ + 3)).</li>
 *   <li>T is the truncation error. With every ReLU mask and top-k selection fixed within ±h (checked at every
 *       evaluation), the codes are affine in any one parameter, so the reconstruction loss restricted to it is a
 *       quadratic and T = 0. The cosine of column j along z(t) = z + t·v has |d³/dt³| ≤ 36‖v‖³/‖z‖³, so
 *       T = (h²/6)·(36/N)·Σ_j ‖v_j‖³/(‖z_j‖ − h‖v_j‖)³ with v the exact code derivative.</li>
 * </ul>
 * Every check also requires the largest tolerance of each parameter tensor to stay below 1e-3 of its largest
 * gradient entry, so a wrong factor or a wrong mask cannot pass. Problems come from a deterministic seed search:
 * the first seed from a start whose pre-activations all keep a margin from 0 (and top-k selections a margin from the
 * (k+1)-th value), with a mix of active and inactive units in every layer.
 */
final class EncoderTrainerGradientTest {

    private static final int B = 5;
    private static final int N = 6;
    private static final int M = 4;
    private static final float LAMBDA = 0.05f;
    /** Step for the quadratic (reconstruction) losses, where the central difference has no truncation error. */
    private static final double H_QUADRATIC = 1e-3;
    /** Step for the cosine loss, whose truncation error grows with h². */
    private static final double H_COSINE = 1e-4;
    private static final double MARGIN = 0.02;
    /** Smallest code-column norm of a cosine-loss problem. */
    private static final double MIN_CODE_NORM = 0.3;
    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;

    @Test
    void shouldMatchFiniteDifferencesWhenSaeWithBiasReconstructsThroughKnownDictionary() {
        check(new EncoderSpec(new int[0], true, CodeActivation.RELU), TrainingTarget.KNOWN_DICTIONARY, 1001L);
    }

    @Test
    void shouldMatchFiniteDifferencesWhenMlpHasOneHiddenLayer() {
        check(new EncoderSpec(new int[] {5}, true, CodeActivation.RELU), TrainingTarget.KNOWN_DICTIONARY, 2001L);
    }

    @Test
    void shouldMatchFiniteDifferencesWhenMlpHasTwoHiddenLayers() {
        check(new EncoderSpec(new int[] {5, 4}, true, CodeActivation.RELU), TrainingTarget.KNOWN_DICTIONARY, 3001L);
    }

    @Test
    void shouldMatchFiniteDifferencesOfEncoderAndDictionaryWhenDictionaryIsLearned() {
        check(new EncoderSpec(new int[0], true, CodeActivation.RELU), TrainingTarget.LEARNED_DICTIONARY, 4001L);
    }

    @Test
    void shouldMatchFiniteDifferencesWhenMlpLearnsDictionary() {
        check(new EncoderSpec(new int[] {5}, true, CodeActivation.RELU), TrainingTarget.LEARNED_DICTIONARY, 5001L);
    }

    @Test
    void shouldMatchFiniteDifferencesOfCosineLossWhenSaeWithBiasLearnsKnownCodes() {
        check(new EncoderSpec(new int[0], true, CodeActivation.RELU), TrainingTarget.KNOWN_CODES, 6001L);
    }

    @Test
    void shouldMatchFiniteDifferencesOfCosineLossWhenMlpLearnsKnownCodes() {
        check(new EncoderSpec(new int[] {5}, true, CodeActivation.RELU), TrainingTarget.KNOWN_CODES, 7001L);
    }

    @Test
    void shouldMatchFiniteDifferencesWhenTopKSelectionIsStableWithinStep() {
        check(new EncoderSpec(new int[0], true, new CodeActivation.TopK(3)), TrainingTarget.KNOWN_DICTIONARY, 8001L);
    }

    @Test
    void shouldMatchFiniteDifferencesWhenMlpWithTopKLearnsDictionary() {
        check(new EncoderSpec(new int[] {5}, true, new CodeActivation.TopK(2)), TrainingTarget.LEARNED_DICTIONARY,
                9001L);
    }

    private static void check(EncoderSpec spec, TrainingTarget target, long startSeed) {
        Problem p = Problem.find(spec, target, startSeed);
        double h = target == TrainingTarget.KNOWN_CODES ? H_COSINE : H_QUADRATIC;
        TrainingOptions options = new TrainingOptions(target, LAMBDA, AdamOptions.pytorch(1e-3f), 7L, 100);
        try (EncoderTrainer trainer = new EncoderTrainer(N, M, p.trueAtoms, p.x, p.codes, p.x, p.codes, spec,
                options)) {
            List<Parameter> parameters = trainer.parameters();
            assertEquals(p.values.size(), parameters.size(), "parameter count of " + spec);
            for (int t = 0; t < parameters.size(); t++) {
                parameters.get(t).set(p.values.get(t));
            }
            double modelLoss = trainer.computeGradients();
            // The trainer projects a learned D before the forward pass (which may move a unit fp32 row by an ulp); its
            // gradient is ∂L/∂D at the projected D, so the reference takes the values as they are after the pass.
            float[][] point = new float[parameters.size()][];
            for (int t = 0; t < parameters.size(); t++) {
                point[t] = parameters.get(t).toArray();
            }
            Reference reference = new Reference(p, point);
            Forward base = reference.forward(reference.parameters);

            double exactLoss = reference.loss(base);
            double absLoss = reference.absLoss(base);
            int kForward = reference.forwardChain();
            assertTrue(Math.abs(modelLoss - exactLoss) <= gamma(2 * (kForward + N + 1) + 4, U32) * absLoss,
                    "loss " + modelLoss + " vs double " + exactLoss + " (" + p + ")");

            double[][] bounds = reference.gradientMagnitudes(base);
            int k = kForward + N + M + reference.backwardChain() + 8;
            int n = 2 * (kForward + N + 1) + B * M + B * N + 8;
            double roundingFd = gamma(n, U64) * absLoss / h;
            for (int t = 0; t < parameters.size(); t++) {
                float[] gradient = parameters.get(t).gradientToArray();
                double maxGrad = 0;
                double maxTol = 0;
                for (int i = 0; i < gradient.length; i++) {
                    FiniteDifference fd = reference.finiteDifference(base, t, i, h);
                    double tol = gamma(k, U32) * bounds[t][i] + roundingFd + fd.truncation;
                    maxGrad = Math.max(maxGrad, Math.abs(fd.value));
                    maxTol = Math.max(maxTol, tol);
                    assertTrue(Math.abs(gradient[i] - fd.value) <= tol, "dL/d" + parameters.get(t).name() + "[" + i
                            + "] = " + gradient[i] + ", finite difference " + fd.value + ", tolerance " + tol + " ("
                            + p + ")");
                }
                assertTrue(maxTol < 1e-3 * maxGrad, parameters.get(t).name() + ": tolerance " + maxTol
                        + " too loose for gradients up to " + maxGrad + " (" + p + ")");
            }
        }
    }

    private static double gamma(int n, double u) {
        return n * u / (1 - n * u);
    }

    private record FiniteDifference(double value, double truncation) {
    }

    /** The reference forward pass at one parameter point: per layer pre-activations, activations and masks. */
    private record Forward(List<DoubleMatrix> pre, List<DoubleMatrix> act, List<DoubleMatrix> masks,
                           DoubleMatrix selection) {
        DoubleMatrix codes() {
            return act.getLast();
        }
    }

    /** The double-precision model: the encoder, the decoder or cosine loss, and the absolute-value chains. */
    private static final class Reference {
        final Problem p;
        final int[] widths;
        final int layers;
        final boolean bias;
        final List<double[]> parameters = new ArrayList<>();
        final DoubleMatrix x;
        final DoubleMatrix codesTruth;
        final DoubleMatrix fixedAtoms;

        Reference(Problem p, float[][] point) {
            this.p = p;
            this.widths = p.spec.widths(M, N);
            this.layers = p.spec.layers();
            this.bias = p.spec.bias();
            for (float[] values : point) {
                double[] widened = new double[values.length];
                for (int i = 0; i < values.length; i++) {
                    widened[i] = values[i];
                }
                parameters.add(widened);
            }
            this.x = DoubleMatrix.of(B, M, p.x);
            this.codesTruth = DoubleMatrix.of(B, N, p.codes);
            this.fixedAtoms = DoubleMatrix.of(N, M, p.trueAtoms);
        }

        int weightSlot(int layer) {
            return bias ? 2 * layer : layer;
        }

        DoubleMatrix weight(List<double[]> values, int layer) {
            return new DoubleMatrix(widths[layer + 1], widths[layer], values.get(weightSlot(layer)));
        }

        double[] bias(List<double[]> values, int layer) {
            return bias ? values.get(weightSlot(layer) + 1) : new double[widths[layer + 1]];
        }

        DoubleMatrix atoms(List<double[]> values) {
            return p.target == TrainingTarget.LEARNED_DICTIONARY ? new DoubleMatrix(N, M, values.getLast())
                    : fixedAtoms;
        }

        Forward forward(List<double[]> values) {
            List<DoubleMatrix> pre = new ArrayList<>();
            List<DoubleMatrix> act = new ArrayList<>();
            List<DoubleMatrix> masks = new ArrayList<>();
            DoubleMatrix selection = null;
            DoubleMatrix input = x;
            for (int l = 0; l < layers; l++) {
                DoubleMatrix preActivation = input.times(weight(values, l).transpose()).plusRow(bias(values, l));
                DoubleMatrix mask = preActivation.positiveMask();
                if (l == layers - 1 && p.spec.activation() instanceof CodeActivation.TopK(int k)) {
                    selection = topK(preActivation, k);
                    mask = mask.masked(selection);
                }
                DoubleMatrix activation = preActivation.masked(mask);
                pre.add(preActivation);
                act.add(activation);
                masks.add(mask);
                input = activation;
            }
            return new Forward(pre, act, masks, selection);
        }

        /** 1 on the k largest entries of each row (ties to the lower index). */
        static DoubleMatrix topK(DoubleMatrix values, int k) {
            DoubleMatrix selection = DoubleMatrix.zeros(values.rows(), values.cols());
            for (int r = 0; r < values.rows(); r++) {
                for (int picked = 0; picked < k; picked++) {
                    int best = -1;
                    for (int j = 0; j < values.cols(); j++) {
                        if (selection.get(r, j) == 0 && (best < 0 || values.get(r, j) > values.get(r, best))) {
                            best = j;
                        }
                    }
                    selection.set(r, best, 1);
                }
            }
            return selection;
        }

        double loss(Forward f) {
            return loss(f, parameters);
        }

        double loss(Forward f, List<double[]> values) {
            DoubleMatrix codes = f.codes();
            if (p.target == TrainingTarget.KNOWN_CODES) {
                double sum = 0;
                for (int j = 0; j < N; j++) {
                    sum += cosine(codes, j);
                }
                return -sum / N;
            }
            DoubleMatrix residual = codes.times(atoms(values)).minus(x);
            return residual.sumOfSquares() / (B * M) + LAMBDA * codes.sum() / (B * N);
        }

        double cosine(DoubleMatrix codes, int j) {
            double dot = 0;
            for (int r = 0; r < B; r++) {
                dot += codesTruth.get(r, j) * codes.get(r, j);
            }
            return dot / (codesTruth.columnNorm(j) * codes.columnNorm(j));
        }

        /** Σ_l (w_{l−1} + 1): the roundings of the forward pre-activations. */
        int forwardChain() {
            int sum = 0;
            for (int l = 0; l < layers; l++) {
                sum += widths[l] + 1;
            }
            return sum;
        }

        /** Σ_{l≥2} w_l + B: the backward dot products down to the first layer's weight gradient. */
        int backwardChain() {
            int sum = B;
            for (int l = 1; l < layers; l++) {
                sum += widths[l + 1];
            }
            return sum;
        }

        /** Â_l for every layer: the forward chain on absolute values with the forward pass's masks. */
        List<DoubleMatrix> absActivations(Forward f) {
            List<DoubleMatrix> result = new ArrayList<>();
            DoubleMatrix input = x.abs();
            for (int l = 0; l < layers; l++) {
                double[] absBias = bias(parameters, l).clone();
                for (int i = 0; i < absBias.length; i++) {
                    absBias[i] = Math.abs(absBias[i]);
                }
                DoubleMatrix activation = input.times(weight(parameters, l).abs().transpose()).plusRow(absBias)
                        .masked(f.masks().get(l));
                result.add(activation);
                input = activation;
            }
            return result;
        }

        DoubleMatrix absResidual(List<DoubleMatrix> absAct) {
            return absAct.getLast().times(atoms(parameters).abs()).plus(x.abs());
        }

        double absLoss(Forward f) {
            List<DoubleMatrix> absAct = absActivations(f);
            DoubleMatrix absCodes = absAct.getLast();
            if (p.target == TrainingTarget.KNOWN_CODES) {
                double sum = 0;
                for (int j = 0; j < N; j++) {
                    sum += 3 * absCodes.columnNorm(j) / f.codes().columnNorm(j) + 3;
                }
                return sum / N;
            }
            return absResidual(absAct).sumOfSquares() / (B * M) + LAMBDA * absCodes.sum() / (B * N);
        }

        /** ĝ for every parameter tensor, in the trainer's order. */
        double[][] gradientMagnitudes(Forward f) {
            List<DoubleMatrix> absAct = absActivations(f);
            DoubleMatrix absCodes = absAct.getLast();
            double scale = 2.0 / (B * M);
            DoubleMatrix g;
            DoubleMatrix absResidual = null;
            if (p.target == TrainingTarget.KNOWN_CODES) {
                g = DoubleMatrix.zeros(B, N);
                DoubleMatrix codes = f.codes();
                for (int j = 0; j < N; j++) {
                    double truthNorm = codesTruth.columnNorm(j);
                    double codeNorm = codes.columnNorm(j);
                    double cosine = cosine(codes, j);
                    double perturbation = 3 * absCodes.columnNorm(j) / (N * codeNorm * codeNorm);
                    for (int r = 0; r < B; r++) {
                        double exact = -(codesTruth.get(r, j) / (truthNorm * codeNorm)
                                - cosine * codes.get(r, j) / (codeNorm * codeNorm)) / N;
                        g.set(r, j, Math.abs(exact) + perturbation);
                    }
                }
            } else {
                absResidual = absResidual(absAct);
                g = absResidual.times(atoms(parameters).abs().transpose()).scaled(scale).shifted(LAMBDA / (B * N));
            }
            double[][] bounds = new double[parameters.size()][];
            for (int l = layers - 1; l >= 0; l--) {
                g = g.masked(f.masks().get(l));
                DoubleMatrix input = l == 0 ? x.abs() : absAct.get(l - 1);
                bounds[weightSlot(l)] = g.transpose().times(input).data();
                if (bias) {
                    bounds[weightSlot(l) + 1] = g.transpose().times(DoubleMatrix.ones(B)).data();
                }
                g = g.times(weight(parameters, l).abs());
            }
            if (p.target == TrainingTarget.LEARNED_DICTIONARY) {
                bounds[bounds.length - 1] = absCodes.transpose().times(absResidual).scaled(scale).data();
            }
            return bounds;
        }

        /** (L(θ + h·e_i) − L(θ − h·e_i))/(2h) for entry i of tensor t, with masks checked unchanged. */
        FiniteDifference finiteDifference(Forward base, int tensor, int index, double h) {
            List<double[]> plus = perturbed(tensor, index, h);
            List<double[]> minus = perturbed(tensor, index, -h);
            Forward fPlus = forward(plus);
            Forward fMinus = forward(minus);
            for (int l = 0; l < layers; l++) {
                assertArrayEquals(base.masks().get(l).data(), fPlus.masks().get(l).data(),
                        "mask of layer " + (l + 1) + " changed within +h (" + p + ")");
                assertArrayEquals(base.masks().get(l).data(), fMinus.masks().get(l).data(),
                        "mask of layer " + (l + 1) + " changed within -h (" + p + ")");
            }
            if (base.selection() != null) {
                assertArrayEquals(base.selection().data(), fPlus.selection().data(), "top-k selection changed");
                assertArrayEquals(base.selection().data(), fMinus.selection().data(), "top-k selection changed");
            }
            double value = (loss(fPlus, plus) - loss(fMinus, minus)) / (2 * h);
            double truncation = 0;
            if (p.target == TrainingTarget.KNOWN_CODES) {
                DoubleMatrix velocity = fPlus.codes().minus(fMinus.codes()).scaled(1 / (2 * h));
                for (int j = 0; j < N; j++) {
                    double speed = velocity.columnNorm(j);
                    double nearest = base.codes().columnNorm(j) - h * speed;
                    truncation += Math.pow(speed / nearest, 3);
                }
                // Twice the derived bound (h²/6)·(36/N)·Σ(...), for the rounding of the velocity itself.
                truncation *= 2 * h * h / 6 * 36 / N;
            }
            return new FiniteDifference(value, truncation);
        }

        private List<double[]> perturbed(int tensor, int index, double delta) {
            List<double[]> copy = new ArrayList<>();
            for (double[] values : parameters) {
                copy.add(values.clone());
            }
            copy.get(tensor)[index] += delta;
            return copy;
        }
    }

    /** A random tiny problem whose masks keep a margin from every kink. */
    private static final class Problem {
        final EncoderSpec spec;
        final TrainingTarget target;
        final long seed;
        final float[] x = new float[B * M];
        final float[] trueAtoms = new float[N * M];
        final float[] codes = new float[B * N];
        final List<float[]> values = new ArrayList<>();

        private Problem(EncoderSpec spec, TrainingTarget target, long seed) {
            this.spec = spec;
            this.target = target;
            this.seed = seed;
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            unitRows(trueAtoms, random);
            for (int j = 0; j < N; j++) {
                // Every true code column is non-zero, so the cosine is defined.
                codes[random.nextInt(B) * N + j] = (float) (0.5 + random.nextDouble());
                for (int r = 0; r < B; r++) {
                    if (random.nextBoolean()) {
                        codes[r * N + j] = (float) (0.5 + random.nextDouble());
                    }
                }
            }
            int[] widths = spec.widths(M, N);
            for (int l = 0; l + 1 < widths.length; l++) {
                values.add(uniform(widths[l + 1] * widths[l], 0.5, random));
                if (spec.bias()) {
                    values.add(uniform(widths[l + 1], 0.25, random));
                }
            }
            if (target == TrainingTarget.LEARNED_DICTIONARY) {
                float[] atoms = new float[N * M];
                unitRows(atoms, random);
                values.add(atoms);
            }
        }

        /** The first seed from {@code start} on whose problem keeps the margins and mixes active and dead units. */
        static Problem find(EncoderSpec spec, TrainingTarget target, long start) {
            for (long seed = start; seed < start + 100_000; seed++) {
                Problem p = new Problem(spec, target, seed);
                if (p.wellConditioned()) {
                    return p;
                }
            }
            throw new AssertionError("no well-conditioned problem from seed " + start);
        }

        private boolean wellConditioned() {
            float[][] point = values.toArray(new float[0][]);
            Reference reference = new Reference(this, point);
            Forward f = reference.forward(reference.parameters);
            for (int l = 0; l < f.pre().size(); l++) {
                DoubleMatrix pre = f.pre().get(l);
                for (double value : pre.data()) {
                    if (Math.abs(value) < MARGIN) {
                        return false;
                    }
                }
                double active = f.masks().get(l).sum() / pre.data().length;
                if (active < 0.25 || active > 0.75) {
                    return false;
                }
            }
            if (spec.activation() instanceof CodeActivation.TopK(int k) && !selectionHasGap(f.pre().getLast(), k)) {
                return false;
            }
            if (target == TrainingTarget.KNOWN_CODES) {
                // The rounding bound of the cosine gradient grows as 1/‖z_j‖²: keep every code column away from 0.
                for (int j = 0; j < N; j++) {
                    if (f.codes().columnNorm(j) < MIN_CODE_NORM) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Whether the k-th largest entry of every row exceeds the (k+1)-th by at least the margin. */
        private static boolean selectionHasGap(DoubleMatrix pre, int k) {
            for (int r = 0; r < pre.rows(); r++) {
                double[] row = new double[pre.cols()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = -pre.get(r, j);
                }
                Arrays.sort(row);
                if (-row[k - 1] - -row[k] < MARGIN) {
                    return false;
                }
            }
            return true;
        }

        private static void unitRows(float[] atoms, SplittableRandom random) {
            for (int i = 0; i < N; i++) {
                double[] row = new double[M];
                double norm = 0;
                for (int j = 0; j < M; j++) {
                    row[j] = random.nextGaussian();
                    norm += row[j] * row[j];
                }
                for (int j = 0; j < M; j++) {
                    atoms[i * M + j] = (float) (row[j] / Math.sqrt(norm));
                }
            }
        }

        private static float[] uniform(int count, double halfWidth, SplittableRandom random) {
            float[] result = new float[count];
            for (int i = 0; i < count; i++) {
                result[i] = (float) ((2 * random.nextDouble() - 1) * halfWidth);
            }
            return result;
        }

        @Override
        public String toString() {
            return spec.label() + ", " + target + ", seed " + seed;
        }
    }
}
