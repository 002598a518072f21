package org.sae4j.testing;

import org.sae4j.kernel.spi.KernelProvider;

/**
 * A kernel provider under test, labelled {@code scalar} or {@code simd@<bits>} in test display names.
 *
 * @param label    display label
 * @param provider the provider instance
 */
public record ProviderCase(String label, KernelProvider provider) {

    @Override
    public String toString() {
        return label;
    }
}
