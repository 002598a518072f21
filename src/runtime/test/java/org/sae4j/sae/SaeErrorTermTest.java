package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SaeErrorTermTest {

    @Test
    void shouldGiveBackTheInputWhenAddedToTheReconstruction() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.JUMPRELU, SaeFixtures.D_IN, SaeFixtures.D_SAE)
                .withNormalisation(Normalisation.LAYER_NORM);
        float[] x = SaeFixtures.gaussian(151, 5 * SaeFixtures.D_IN, 2, 0.5);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 152))) {
            float[] reconstruction = sae.forward(x);
            float[] error = sae.errorTerm(x);
            for (int i = 0; i < x.length; i++) {
                assertEquals((float) ((double) x[i] - reconstruction[i]), error[i], "element " + i);
                // e = fl(x − x̂) is exact up to one rounding, so x̂ + e lands within one ulp of x
                assertEquals(x[i], reconstruction[i] + error[i], Math.ulp(x[i]) + Math.ulp(error[i]), "element " + i);
            }
        }
    }

    @Test
    void shouldRefuseTranscodersWhoseErrorNeedsTheTarget() {
        SaeConfig config = SaeConfig.of(SaeArchitecture.TRANSCODER, SaeFixtures.D_IN, SaeFixtures.D_SAE);
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 153))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sae.errorTerm(new float[SaeFixtures.D_IN]));
            assertTrue(e.getMessage().contains("target"), e.getMessage());
        }
    }
}
