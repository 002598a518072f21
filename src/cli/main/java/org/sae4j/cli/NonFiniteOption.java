package org.sae4j.cli;

import java.util.Map;
import org.sae4j.io.NonFinitePolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --non-finite refuse|skip|zero} option, shared as a {@code @Mixin} by the commands that read activations
 * or codes ({@code eval}, {@code gap}, {@code decode}; {@code encode} adds it the same way), so that its spelling,
 * default and help text are defined once. It is kept apart from {@link SaeInputOptions} so that a command gains the
 * option only when it applies the policy.
 *
 * <p>With {@code refuse} (the default) a NaN or an infinity fails the command with exit code 2 and the message of
 * {@link org.sae4j.io.NonFiniteInputException} ({@code sae4j NAME: x.npy row 3, column 17: NaN (inputs must be
 * finite)}), and no output file is left behind. With {@code skip} or {@code zero} the summary (text and
 * {@code --json}) says how many rows were skipped or zeroed: {@link #describe} and {@link #addTo} give the words and
 * the JSON fields.
 */
final class NonFiniteOption {

    @Option(names = "--non-finite", defaultValue = "refuse", paramLabel = "POLICY",
            converter = PolicyConverter.class,
            description = "Rows holding NaN or ±Inf: refuse (exit 2, the default), skip them, or zero them.")
    NonFinitePolicy policy;

    /** The policy chosen ({@link NonFinitePolicy#REFUSE} unless the option was given). */
    NonFinitePolicy policy() {
        return policy == null ? NonFinitePolicy.defaultPolicy() : policy;
    }

    /**
     * The words for the summary line, e.g. {@code "2 rows skipped (NaN or infinite values)"}; empty with
     * {@code refuse}, which never lets such a row through.
     */
    String describe(long affected) {
        NonFinitePolicy chosen = policy();
        if (chosen == NonFinitePolicy.REFUSE) {
            return "";
        }
        return affected + (affected == 1 ? " row " : " rows ")
                + (chosen == NonFinitePolicy.SKIP_ROWS ? "skipped" : "zeroed") + " (NaN or infinite values)";
    }

    /**
     * Adds {@code non_finite} (the policy's option name) and {@code skipped_rows} and {@code zeroed_rows} (one of them
     * {@code affected}, the other 0) to a JSON summary.
     */
    void addTo(Map<String, Object> summary, long affected) {
        NonFinitePolicy chosen = policy();
        summary.put("non_finite", chosen.optionName());
        summary.put("skipped_rows", chosen == NonFinitePolicy.SKIP_ROWS ? affected : 0L);
        summary.put("zeroed_rows", chosen == NonFinitePolicy.ZERO_ROWS ? affected : 0L);
    }

    /** Reads {@code refuse}, {@code skip} or {@code zero}. */
    static final class PolicyConverter implements ITypeConverter<NonFinitePolicy> {

        @Override
        public NonFinitePolicy convert(String value) {
            try {
                return NonFinitePolicy.byOptionName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
