package org.unitpath.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Converts other tools' annotation formats into the COCO datasets the other commands read. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert annotations from other formats into a COCO instance dataset (images/ + annotations.json).",
        subcommands = {ImportMonuseg.class})
final class ImportCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
