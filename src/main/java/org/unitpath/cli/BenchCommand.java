package org.unitpath.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Benchmarks; each subcommand times one part of the system on the chosen device. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the networks (median milliseconds per step, images per second) and slide reading.",
        subcommands = {BenchBackbone.class, BenchMasks.class, BenchGenerator.class, BenchSegmenter.class, BenchSegment.class,
            BenchPretrain.class, BenchSlide.class})
final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
