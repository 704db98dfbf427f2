package org.unitpath.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unitpath.config.Config;
import org.unitpath.data.DemoData;
import org.unitpath.dist.Distributed;

/** Demo data and a tiny quickstart config (64x64, narrow networks, 6 iterations) for loop tests. */
final class PretrainFixtures {
    private PretrainFixtures() {}

    static void prepareData(Path data) throws IOException, InterruptedException {
        if (!Files.isDirectory(data.resolve("masks"))) {
            DemoData.prepare(data, "10x_64", 1, 2);
        }
    }

    static List<String> tinyOverrides(Path data, Path out) {
        return new ArrayList<>(List.of(
                "OUTPUT_DIR", out.toString(), "CYCLE.DATASET_ROOT", data.toString(),
                "SOLVER.MAX_ITER", "6", "SOLVER.STEPS", "[4, 5]", "SOLVER.WARMUP_ITERS", "2", "SOLVER.IMS_PER_BATCH", "2",
                "SOLVER.CHECKPOINT_PERIOD", "3", "SOLVER.CHECKPOINTS_KEPT", "5",
                "STYLEGAN.CHANNEL_BASE", "512", "STYLEGAN.CHANNEL_MAX", "32", "STYLEGAN.Z_DIM", "16", "STYLEGAN.W_DIM", "16",
                "STYLEGAN.MAPPING_LAYERS", "2", "STYLEGAN.R1_INTERVAL", "2",
                "MODEL.FPN.OUT_CHANNELS", "64", "MODEL.GBA.NUM_FILTER_FPN", "64", "MODEL.GBA.NUM_FILTER", "32",
                "MODEL.ROI_BOX_HEAD.FC_DIM", "64", "MODEL.ROI_MASK_HEAD.CONV_DIM", "64", "MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE", "32",
                "TEST.EVAL_PERIOD", "3", "TEST.SAMPLE_PERIOD", "3", "TEST.SWD_IMAGES", "4", "TEST.LOG_PERIOD", "1",
                "DATALOADER.NUM_WORKERS", "1"));
    }

    static Config quickstart(List<String> overrides) throws IOException {
        Path tmp = Files.createTempFile("quickstart", ".yaml");
        try (InputStream in = PretrainFixtures.class.getResourceAsStream("/configs/pretrain/quickstart.yaml")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Config.load(tmp, overrides);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Settings of the tiny config plus {@code extra} overrides, for tests that need no data. */
    static PretrainSettings settings(List<String> extra) throws IOException {
        List<String> o = tinyOverrides(Path.of("data"), Path.of("output"));
        o.addAll(extra);
        return SettingsFromConfig.resolve(quickstart(o), 1);
    }

    static Pretrainer.Result run(Config cfg, boolean resume) throws IOException {
        return new Pretrainer(SettingsFromConfig.resolve(cfg, 1), Distributed.single(), cfg.toYaml()).run(resume);
    }
}
