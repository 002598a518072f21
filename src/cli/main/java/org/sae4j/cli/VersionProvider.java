package org.sae4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's implementation version and the running JDK. */
public final class VersionProvider implements IVersionProvider {

    /** Public constructor for picocli. */
    public VersionProvider() {
    }

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "sae4j " + (version == null ? "(development build)" : version),
            "JDK " + Runtime.version()
        };
    }
}
