package org.unitpath.torch;

/** A strict state-dict load found missing, unexpected or shape-mismatched names. */
public final class StateDictException extends IllegalArgumentException {
    private final transient LoadReport report;

    public StateDictException(LoadReport report) {
        super("state dict does not match the model: " + report.describe());
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
