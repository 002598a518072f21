package org.sae4j.lab.experiment;

/**
 * How a sweep names its members: {@code family @ parameter=value}, e.g. {@code "SAE @ λ=0.01"}, so that reports
 * can group the members of one family and label the swept parameter.
 */
public final class SweepName {

    /** Separates a sweep member's family from its parameter setting. */
    public static final String SEPARATOR = " @ ";

    private SweepName() {
    }

    /** Whether {@code method} names a member of a sweep. */
    public static boolean isMember(String method) {
        return method.contains(SEPARATOR);
    }

    /** The part of a sweep member's name before {@link #SEPARATOR}; the whole name for other methods. */
    public static String family(String method) {
        int at = method.indexOf(SEPARATOR);
        return at < 0 ? method : method.substring(0, at);
    }

    /** The swept parameter's name ({@code "λ"} in {@code "SAE @ λ=0.01"}), or {@code "parameter"} when unnamed. */
    public static String parameter(String method) {
        int at = method.indexOf(SEPARATOR);
        if (at < 0) {
            return "parameter";
        }
        at += SEPARATOR.length();
        int equals = method.indexOf('=', at);
        return equals > at ? method.substring(at, equals) : "parameter";
    }
}
