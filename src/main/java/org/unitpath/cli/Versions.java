package org.unitpath.cli;

import picocli.CommandLine.IVersionProvider;

/** Version strings of unitpath and its native stack. */
final class Versions implements IVersionProvider {
    static String unitpath() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"unitpath " + unitpath()};
    }
}
