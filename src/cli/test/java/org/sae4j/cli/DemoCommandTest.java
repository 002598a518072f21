package org.sae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sae4j.lab.experiment.ExperimentKind;
import org.sae4j.lab.experiment.ExperimentSettings;

final class DemoCommandTest {

    @Test
    void shouldSayWhatIsComparedOnWhichDataAndHowManySeedsBeforeRunning() {
        ExperimentSettings settings = ExperimentSettings.defaults(ExperimentKind.KNOWN_D, 2)
                .withBudget(ExperimentKind.KNOWN_D.steps(), ExperimentKind.KNOWN_D.evaluationInterval(), 2);
        assertEquals("sae4j demo: the amortisation gap with the dictionary known (known-d): SAE, SAE+ITO, MLP-32 and "
                + "MLP-256 encoders, then FISTA from zero and from the SAE's codes, on synthetic data with N=16 "
                + "latents, M=8 measurements, K=3 active (data seed " + settings.dataSeed() + "); "
                + String.format("%,d", settings.steps()) + " training steps, 2 seeds per method, 2 runs at a time",
                DemoCommand.headline(settings));
    }
}
