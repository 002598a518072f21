package org.sae4j.lab.train;

/**
 * The non-linearity that produces an encoder's codes. Both keep codes non-negative, so the derivative of the code
 * with respect to its pre-activation is 1 exactly where the code is positive, and 0 elsewhere (PyTorch's ReLU'(0) = 0).
 */
public sealed interface CodeActivation {

    /** ReLU, elementwise. */
    record Relu() implements CodeActivation {
        @Override
        public String toString() {
            return "relu";
        }
    }

    /**
     * Keeps the k largest pre-activations of each row (ties to the lower index), then applies ReLU: a row may have
     * fewer than k positive codes. Not elementwise, so outside the class the amortisation-gap theorem covers.
     *
     * @param k ≥ 1
     */
    record TopK(int k) implements CodeActivation {
        /**
         * @throws IllegalArgumentException when k &lt; 1
         */
        public TopK {
            if (k < 1) {
                throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
            }
        }

        @Override
        public String toString() {
            return "topk" + k;
        }
    }

    /** The shared ReLU instance. */
    CodeActivation RELU = new Relu();
}
