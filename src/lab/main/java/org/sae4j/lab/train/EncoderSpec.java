package org.sae4j.lab.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * The shape of an amortised encoder: zero hidden layers is the paper's SAE encoder Ŝ = σ(X·Wᵀ [+ b]); one or more
 * hidden layers make an MLP, Ŝ = σ(ReLU(X·W1ᵀ [+ b1])·W2ᵀ [+ b2]) and so on (paper-spec §6.1, §6.3).
 *
 * @param hidden     hidden-layer widths, each ≥ 1; empty for the SAE
 * @param bias       whether every layer has a bias
 * @param activation the code non-linearity σ of the last layer (hidden layers always use ReLU)
 */
public record EncoderSpec(int[] hidden, boolean bias, CodeActivation activation) {

    /**
     * @throws IllegalArgumentException when a hidden width is not positive
     */
    public EncoderSpec {
        hidden = hidden.clone();
        for (int width : hidden) {
            if (width < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        Objects.requireNonNull(activation, "activation");
    }

    /** The paper's SAE encoder: linear, ReLU, no bias. */
    public static EncoderSpec sae() {
        return new EncoderSpec(new int[0], false, CodeActivation.RELU);
    }

    /** The paper's MLP encoder: ReLU hidden layers of the given widths, ReLU codes, no biases. */
    public static EncoderSpec mlp(int... hiddenWidths) {
        if (hiddenWidths.length == 0) {
            throw new IllegalArgumentException("an MLP needs at least one hidden layer");
        }
        return new EncoderSpec(hiddenWidths, false, CodeActivation.RELU);
    }

    /** The same encoder with or without biases. */
    public EncoderSpec withBias(boolean newBias) {
        return new EncoderSpec(hidden, newBias, activation);
    }

    /** The same encoder with another code non-linearity. */
    public EncoderSpec withActivation(CodeActivation newActivation) {
        return new EncoderSpec(hidden, bias, newActivation);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Number of linear layers: hidden layers plus the code layer. */
    public int layers() {
        return hidden.length + 1;
    }

    /** Layer widths from input to codes: [inputs, hidden..., latents]. */
    public int[] widths(int inputs, int latents) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = latents;
        return widths;
    }

    /** A short label such as {@code SAE}, {@code MLP-256}, {@code SAE-topk3}, {@code MLP-32x32+bias}. */
    public String label() {
        StringBuilder label = new StringBuilder(hidden.length == 0 ? "SAE" : "MLP-");
        for (int i = 0; i < hidden.length; i++) {
            label.append(i == 0 ? "" : "x").append(hidden[i]);
        }
        if (activation instanceof CodeActivation.TopK topK) {
            label.append("-topk").append(topK.k());
        }
        if (bias) {
            label.append("+bias");
        }
        return label.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncoderSpec that && bias == that.bias && Arrays.equals(hidden, that.hidden)
                && activation.equals(that.activation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hidden), bias, activation);
    }

    @Override
    public String toString() {
        return label();
    }
}
