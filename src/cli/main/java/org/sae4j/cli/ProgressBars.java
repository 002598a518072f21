package org.sae4j.cli;

import org.sae4j.lab.experiment.ProgressMeter;
import org.sae4j.report.ProgressBar;

/** Lab experiments report their progress as progress bars on stderr. */
final class ProgressBars {

    private ProgressBars() {
    }

    /** A meter that draws one bar per phase on stderr when {@code show} is true. */
    static ProgressMeter onStderr(boolean show) {
        return (label, totalSteps) -> {
            ProgressBar bar = new ProgressBar(label, totalSteps, System.err, show);
            return new ProgressMeter.Phase() {
                @Override
                public void stepBy(long steps) {
                    bar.stepBy(steps);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
