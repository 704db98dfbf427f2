package org.unitpath.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Fine-tuning of the pretrained trunk on downstream tasks; each subcommand is one task. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune the pretrained network on a labelled downstream task.",
        subcommands = {FinetuneSegCommand.class, FinetuneClsCommand.class})
final class FinetuneCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
