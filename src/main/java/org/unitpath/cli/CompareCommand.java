package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unitpath.config.Config;
import org.unitpath.torch.Torch;
import org.unitpath.train.Comparison;
import org.unitpath.train.SegFinetuneSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unitpath compare}: one fine-tuning recipe from several initialisations, one table and plot. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run the same nucleus segmentation fine-tuning recipe from two or more initialisations "
                + "(pretrained S, a torchvision .pt, random), with --seeds N training seeds each, and compare them on the "
                + "test images at the validation-chosen and at the last evaluation: the paper's experiment.",
                "Each run goes to OUTPUT_DIR/<name>; the comparison to OUTPUT_DIR/comparison.{csv,json,html}. "
                + "Run it again to resume: finished runs are read back, an interrupted one continues from its checkpoint."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The recipe: a fine-tuning YAML file or 'kumar'.")
    String config;

    @Parameters(index = "1..*", paramLabel = "KEY VALUE", description = "Overrides of config keys, applied to every run.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--init", required = true, paramLabel = "NAME=WEIGHTS",
            description = "An initialisation to compare (repeat, at least two): NAME=S.pt, NAME=resnet50_gn.pt, or NAME= "
                    + "for random weights, e.g. --init proposed=demo-run/output/S.pt --init random=")
    List<String> inits = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Training seeds per initialisation: SEED, SEED+1, ..., SEED+N-1, each run in OUTPUT_DIR/<name>/seed-<s> "
                    + "(with N = 1 in OUTPUT_DIR/<name>); the table adds mean ± std over them (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Override
    public Integer call() throws Exception {
        if (inits.size() < 2) {
            throw new IllegalArgumentException("--init: give at least two initialisations to compare, e.g. --init proposed=S.pt --init random=");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        Config recipe = BundledConfigs.load(config, overrides);
        Path root = Path.of(recipe.getString("OUTPUT_DIR"));
        int seed = recipe.getInt("SEED");
        if (seeds > 1 && seed < 0) {
            throw new IllegalArgumentException("--seeds " + seeds + " needs a fixed SEED to count from, but SEED is " + seed
                    + " (a new random seed per run)");
        }
        Map<String, String> weightsByName = new LinkedHashMap<>();
        for (String spec : inits) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--init '" + spec + "': expected NAME=WEIGHTS (WEIGHTS empty for random)");
            }
            String name = spec.substring(0, eq);
            String weights = spec.substring(eq + 1);
            if (!weights.isEmpty() && !Files.isRegularFile(Path.of(weights))) {
                throw new IllegalArgumentException("--init " + name + ": weights file " + weights + " does not exist");
            }
            if (weightsByName.put(name, weights) != null) {
                throw new IllegalArgumentException("--init name '" + name + "' is given twice");
            }
        }
        // Seed-major order, so an interrupted comparison already holds every arm at its first seeds.
        List<Comparison.Arm> arms = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            for (Map.Entry<String, String> init : weightsByName.entrySet()) {
                String name = init.getKey();
                String weights = init.getValue();
                List<String> o = new ArrayList<>(overrides);
                Path dir = seeds == 1 ? root.resolve(name) : root.resolve(name).resolve("seed-" + (seed + k));
                o.addAll(List.of("OUTPUT_DIR", dir.toString(), "MODEL.WEIGHTS", weights));
                if (seeds > 1) {
                    o.addAll(List.of("SEED", Integer.toString(seed + k)));
                }
                Config cfg = BundledConfigs.load(config, o);
                arms.add(new Comparison.Arm(name, weights, SegFinetuneSettings.from(cfg), cfg.toYaml()));
            }
        }
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        List<Comparison.Outcome> outcomes = Comparison.run(arms);
        PrintWriter out = spec.commandLine().getOut();
        if (outcomes.isEmpty()) {
            out.printf("compare: stopped; run the same command again to continue (%s)%n", root);
            out.flush();
            return ExitCodes.INTERRUPTED;
        }
        Comparison.write(root, outcomes);
        out.print(Comparison.table(outcomes));
        out.printf("compare: %s, %s, %s in %s%n", Comparison.CSV, Comparison.JSON_FILE, Comparison.HTML, root);
        out.flush();
        return ExitCodes.OK;
    }
}
