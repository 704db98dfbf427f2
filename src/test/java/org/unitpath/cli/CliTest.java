package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.torch.pt.PtFile;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        List<String[]> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 4, "commands found: " + paths.size());
        for (String[] path : paths) {
            List<String> args = new ArrayList<>(List.of(path));
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("Usage:"), String.join(" ", args));
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(String[]::new));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    @Test
    void infoReportsTheStack() {
        Run r = run("info", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("libtorch  2.10.0"), r.out());
        assertTrue(r.out().contains("threads   1 intra-op"), r.out());
        assertTrue(r.out().contains("cuda"), r.out());
    }

    @Test
    void convertRoundTripsATrunkBetweenNamings() throws IOException {
        ResNet trunk = new ResNet(ResNetConfig.resnet50GN().narrowed(2));
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>();
        trunk.stateDict().forEach((k, v) -> sd.put("backbone.bottom_up." + k, v));
        sd.put("backbone.fpn_lateral2.weight", org.unitpath.torch.Tensors.zeros(4, 4, 1, 1));
        Path s = dir.resolve("S.pt");
        PtFile.write(s, sd);
        Path tv = dir.resolve("tv.pt");
        Run r = run("convert", "--to", "torchvision", "--fc-classes", "0", s.toString(), tv.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Tensor> tvSd = PtFile.readStateDict(tv);
        assertTrue(tvSd.containsKey("layer4.2.bn3.weight") && !tvSd.containsKey("fc.weight"));
        assertEquals(trunk.stateDict().size(), tvSd.size(), "trunk only: FPN entries are left out");

        Path back = dir.resolve("back.pt");
        assertEquals(0, run("convert", "--to", "detectron2", tv.toString(), back.toString()).code());
        Map<String, Tensor> d2 = PtFile.readStateDict(back);
        trunk.stateDict().forEach((k, v) -> assertTrue(torch.equal(v, d2.get("backbone.bottom_up." + k)), k));

        Run again = run("convert", "--to", "torchvision", tv.toString(), dir.resolve("x.pt").toString());
        assertEquals(ExitCodes.BAD_INPUT, again.code());
        assertTrue(again.err().contains("already uses torchvision names"), again.err());
    }

    @Test
    void badInputGivesOneLineAndExitCodeThree() throws IOException {
        Path missing = dir.resolve("nope.pt");
        Run r = run("convert", "--to", "torchvision", missing.toString(), dir.resolve("o.pt").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("unitpath: error: " + missing + ": no such file", r.err().strip());

        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "hello");
        r = run("convert", "--to", "torchvision", junk.toString(), dir.resolve("o.pt").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(junk + ": not a PyTorch checkpoint"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug");

        r = run("--debug", "convert", "--to", "torchvision", junk.toString(), dir.resolve("o.pt").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("\tat "), "--debug prints the stack trace");
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run r = run("convert", "--to", "caffe", "a.pt", "b.pt");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--to"), r.err());
        assertEquals(ExitCodes.USAGE, run("frobnicate").code());
        assertEquals(ExitCodes.BAD_INPUT, run("bench", "backbone", "--size", "100").code());
        assertEquals(ExitCodes.BAD_INPUT, run("bench", "backbone", "--device", "tpu").code());
    }

    @Test
    void masksCommandWritesADatasetAndRejectsBadRanges() throws IOException {
        Path out = dir.resolve("A");
        Run r = run("masks", "--out", out.toString(), "--count", "20", "--canvas", "512", "--seed", "3", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 canvases, 20 tiles written"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("40x_256/000004_1_1.png")));
        assertTrue(Files.isRegularFile(out.resolve("cell_mask/000001.npy")));
        Run bad = run("masks", "--out", out.toString(), "--nuclei-per-tile", "18:7");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().contains("--nuclei-per-tile"), bad.err());
        assertEquals(ExitCodes.BAD_INPUT, run("masks", "--out", out.toString(), "--canvas", "1000").code());
        assertEquals(ExitCodes.BAD_INPUT, run("masks", "--out", out.toString(), "--distribution", "spiral").code());
    }

    @Test
    void benchPrintsBothFigures() {
        Run r = run("bench", "backbone", "--size", "64", "--batch", "1", "--warmup", "0", "--iters", "1", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trunk      fwd+bwd median"), r.out());
        assertTrue(r.out().contains("trunk+FPN  fwd+bwd median"), r.out());
        assertTrue(r.out().indexOf("trunk ") < r.out().indexOf("trunk+FPN"));
    }

    @Test
    void benchGeneratorTimesTheDStepWithAndWithoutAda() {
        Run r = run("bench", "generator", "--sizes", "64", "--batch", "2", "--warmup", "0", "--iters", "1", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        for (String row : new String[] {"G fwd+bwd             median", "D step+R1             median", "D step+R1, ADA p=0.60 median"}) {
            assertTrue(r.out().contains(row), row + " in " + r.out());
        }
        assertFalse(run("bench", "generator", "--sizes", "64", "--ada-p", "0", "--iters", "1", "--device", "cpu").out().contains("ADA"));
        assertEquals(ExitCodes.BAD_INPUT, run("bench", "generator", "--ada-p", "1.5").code());
    }
}
