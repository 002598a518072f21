package org.sae4j.report;

/**
 * A tick mark on an axis.
 *
 * @param value the data value
 * @param label the text printed beside it, empty for an unlabelled minor tick
 */
record Tick(double value, String label) {

    boolean major() {
        return !label.isEmpty();
    }
}
