package org.sae4j.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FoldRecord} lists in {@code cfg.json}: an array of {@code {"op": ..., "factor": number or null, "note":
 * ...}} objects, a null factor meaning per-latent factors.
 */
final class FoldJson {

    /** The key holding the list: under {@code metadata} in SAELens files, top level in sparsify files. */
    static final String KEY = "sae4j_folds";

    /** Not instantiable: static conversions only. */
    private FoldJson() {
    }

    /**
     * Appends {@code folds} as a new array under {@link #KEY} in {@code holder}.
     *
     * @param holder the object that receives the array; modified
     * @param folds  the records, oldest first
     */
    static void write(ObjectNode holder, List<FoldRecord> folds) {
        ArrayNode array = holder.putArray(KEY);
        for (FoldRecord fold : folds) {
            ObjectNode entry = array.addObject();
            entry.put("op", fold.op());
            if (fold.hasScalarFactor()) {
                entry.put("factor", fold.factor());
            } else {
                entry.putNull("factor");
            }
            entry.put("note", fold.note());
        }
    }

    /**
     * The list under {@link #KEY} in {@code holder}; empty when absent or null.
     *
     * @param holder the object that may hold the list
     * @return the records, oldest first
     * @throws SaeFormatException if the value or an element is malformed
     */
    static List<FoldRecord> read(ConfigJson holder) throws SaeFormatException {
        JsonNode array = holder.node(KEY);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw holder.fail(KEY, "must be a list of {op, factor} objects, got " + array.getNodeType());
        }
        List<FoldRecord> folds = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            JsonNode op = entry.get("op");
            JsonNode factor = entry.get("factor");
            JsonNode note = entry.get("note");
            if (!entry.isObject() || op == null || !op.isTextual()) {
                throw holder.fail(KEY, "element " + i + " must be an object with a string 'op', got " + entry);
            }
            if (factor != null && !factor.isNull() && !factor.isNumber()) {
                throw holder.fail(KEY, "element " + i + " 'factor' must be a number or null, got " + factor);
            }
            if (note != null && !note.isNull() && !note.isTextual()) {
                throw holder.fail(KEY, "element " + i + " 'note' must be a string, got " + note);
            }
            try {
                folds.add(new FoldRecord(op.textValue(), factor == null || factor.isNull() ? Double.NaN
                        : factor.doubleValue(), note == null || note.isNull() ? "" : note.textValue()));
            } catch (IllegalArgumentException e) {
                throw holder.fail(KEY, "element " + i + ": " + e.getMessage());
            }
        }
        return folds;
    }
}
