package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Loader;
import org.unitpath.io.slide.OpenSlideLibrary;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Prints versions, the CPU, threads, whether CUDA is usable and whether OpenSlide is installed: the
 * first thing to run on a new machine.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show versions, CPU features, thread count, whether CUDA is usable and whether OpenSlide is installed.")
final class InfoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Torch.init();
        Torch.setThreads(main.threads);
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        row(out, "unitpath", Versions.unitpath());
        row(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        row(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", JavaCPP platform "
                + Loader.getPlatform());
        row(out, "libtorch", Torch.version() + " (JavaCPP presets " + Loader.getVersion() + ")");
        row(out, "cpu", cpuModel() + ", " + rt.availableProcessors() + " logical cores");
        row(out, "kernels", "CPU capability " + Torch.cpuCapability());
        row(out, "threads", Torch.threads() + " intra-op");
        row(out, "memory", String.format("%.1f GiB JVM heap max", rt.maxMemory() / (1024.0 * 1024 * 1024)));
        int gpus = Torch.cudaDeviceCount();
        row(out, "cuda", gpus > 0 ? "usable, " + gpus + " device(s)" : "not usable (" + cudaReason() + ")");
        row(out, "device", "auto -> " + Device.parse("auto"));
        row(out, "natives", String.valueOf(Loader.getCacheDir()));
        row(out, "openslide", OpenSlideLibrary.version()
                .map(v -> v + ", reads .ndpi .vms .vmu .mrxs .scn .bif .svslide and Philips/Ventana/Leica .tif")
                .orElse("not found: " + OpenSlideLibrary.INSTALL_HINT));
        out.flush();
        return ExitCodes.OK;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-9s %s%n", key, value);
    }

    private static String cudaReason() {
        return Torch.buildConfig().contains("USE_CUDA=0") || !Torch.buildConfig().contains("USE_CUDA=1")
                ? "CPU build of libtorch; build with -Pgpu for CUDA"
                : "no NVIDIA driver or GPU found";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the JVM's architecture name
        }
        return System.getProperty("os.arch");
    }
}
