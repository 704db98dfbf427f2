package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unitpath.config.Config;
import org.unitpath.torch.Torch;
import org.unitpath.train.ModelSelection;
import org.unitpath.train.SegFinetuneSettings;
import org.unitpath.train.SegFinetuner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unitpath finetune seg}: nucleus instance segmentation fine-tuning from pretrained, torchvision or random weights. */
@Command(name = "seg", mixinStandardHelpOptions = true,
        description = {"Fine-tune S (Mask R-CNN / Panoptic FPN) on a COCO-format nucleus dataset: random crops, full-image "
                + "evaluation every TEST.EVAL_PERIOD iterations (Dice, AJI, PQ, ...) of the validation images (TEST.VAL_FRACTION or "
                + "DATASETS.VAL_JSON) and test images; model_best.pt is chosen by TEST.BEST_METRIC on validation only.",
                "CONFIG is a YAML file or the bundled recipe 'kumar' (configs/seg/kumar.yaml); KEY VALUE pairs override it, "
                        + "e.g. MODEL.WEIGHTS demo-run/output/S.pt (pretrained S), a torchvision ResNet-50-GN .pt, or \"\" (random)."})
final class FinetuneSegCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(FinetuneSegCommand.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run's config: a YAML file or 'kumar'.")
    String config;

    @Parameters(index = "1..*", paramLabel = "KEY VALUE", description = "Overrides of config keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "Continue from the newest checkpoint in OUTPUT_DIR.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Config cfg = BundledConfigs.load(config, overrides);
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        SegFinetuneSettings settings = SegFinetuneSettings.from(cfg);
        if (!cfg.ignoredSummary().isEmpty()) {
            log.info(cfg.ignoredSummary());
        }
        SegFinetuner.Result r = new SegFinetuner(settings, cfg.toYaml()).run(resume);
        PrintWriter out = spec.commandLine().getOut();
        if (r.interrupted()) {
            out.printf("finetune seg: stopped at iteration %d; continue with --resume (%s)%n", r.iterations(), r.outputDir());
            return ExitCodes.INTERRUPTED;
        }
        out.printf("finetune seg: %d iterations done in %s%n", r.iterations(), r.outputDir());
        out.printf("  final:  %s%n", r.outputDir().resolve(SegFinetuner.FINAL));
        if (r.chosen() != null) {
            out.printf("  best:   %s (iteration %d, chosen by %s)%n", r.outputDir().resolve(SegFinetuner.BEST), r.chosen().iteration(),
                    r.chosenBy());
        }
        Map<String, Map<String, Double>> columns = new LinkedHashMap<>();
        if (r.chosen() != null && !r.chosenBy().equals(ModelSelection.LAST)) {
            columns.put("val@" + r.chosen().iteration(), r.chosen().val());
            columns.put("test@" + r.chosen().iteration(), r.chosen().test());
        }
        if (r.last() != null) {
            columns.put("val@" + r.last().iteration(), r.last().val());
            columns.put("test@" + r.last().iteration(), r.last().test());
        }
        columns.values().removeIf(Map::isEmpty);
        if (columns.isEmpty()) {
            out.flush();
            return ExitCodes.OK;
        }
        out.printf("  %-10s", "metric");
        columns.keySet().forEach(c -> out.printf(" %10s", c));
        out.println();
        for (String k : columns.values().iterator().next().keySet()) {
            out.printf("  %-10s", k);
            columns.values().forEach(m -> out.printf(" %10.4f", m.getOrDefault(k, Double.NaN)));
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }
}
