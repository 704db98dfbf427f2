package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.unitpath.train.SegFinetuneSettings;

/**
 * unitpath's recipes (configs/pretrain/stage{1,2}.yaml, configs/seg/kumar.yaml) hold the release's
 * values key by key; the only differences are the ones listed here with their reasons.
 */
class ShippedVsReleaseConfigsTest {
    /** Where the data and outputs go, and Detectron2's registry names: not the method. */
    private static final Set<String> PLACES = Set.of("OUTPUT_DIR", "CYCLE.DATASET_ROOT", "DATASETS.TRAIN", "DATASETS.TEST",
            "DATASETS.TRAIN_JSON", "DATASETS.TRAIN_IMAGES", "DATASETS.TEST_JSON", "DATASETS.TEST_IMAGES");
    /** The release's resize sizes, no-ops on its data; unitpath's 0 means "no resize", which holds for any data. */
    private static final Set<String> NO_OP_RESIZES = Set.of("INPUT.MIN_SIZE_TRAIN", "INPUT.MAX_SIZE_TRAIN", "INPUT.MIN_SIZE_TEST",
            "INPUT.MAX_SIZE_TEST");

    private static Set<String> differences(Config release, Config ours) {
        Set<String> out = new TreeSet<>();
        for (String k : Config.keys()) {
            if (!Objects.equals(release.get(k), ours.get(k)) && !PLACES.contains(k) && !NO_OP_RESIZES.contains(k)
                    && !Config.ignoredKeys().containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static Config release(String path) throws IOException {
        return ReleaseConfigsTest.load(path);
    }

    @Test
    void stage1DiffersOnlyInWhereItStops() throws IOException {
        // the release's stage 2 starts from the 308-kimg snapshot, so unitpath's stage 1 ends there
        assertEquals(Set.of("SOLVER.MAX_ITER", "SOLVER.STEPS"), differences(release(ReleaseConfigsTest.SELFSUP + "stage_1.yaml"),
                Config.load(Path.of("configs/pretrain/stage1.yaml"))));
    }

    @Test
    void stage2DiffersOnlyInTheSnapshotFileName() throws IOException {
        Config ours = Config.load(Path.of("configs/pretrain/stage2.yaml"));
        assertEquals(Set.of("MODEL.WEIGHTS"), differences(release(ReleaseConfigsTest.SELFSUP + "stage_2.yaml"), ours));
        assertEquals(Config.load(Path.of("configs/pretrain/stage1.yaml")).getString("OUTPUT_DIR") + "/network-snapshot-000308.pt",
                ours.getString("MODEL.WEIGHTS"));
    }

    @Test
    void kumarIsTheReleasesProposedPanopticOnStage2sS() throws IOException {
        Config ours = Config.load(Path.of("configs/seg/kumar.yaml"));
        // the release keeps its best checkpoint by the test set; unitpath chooses on held-out training images
        assertEquals(Set.of("MODEL.WEIGHTS", "TEST.VAL_FRACTION"), differences(release(ReleaseConfigsTest.KUMAR
                + "proposed_panoptic.yaml"), ours));
        // the release loads its exported S; unitpath's is stage 2's S.pt (the pretrained model is stage 2's S)
        assertEquals(Config.load(Path.of("configs/pretrain/stage2.yaml")).getString("OUTPUT_DIR") + "/S.pt",
                ours.getString("MODEL.WEIGHTS"));
        assertEquals(128, SegFinetuneSettings.from(ours).seg().semantic().convDims(), "the fork's SemSegFPNHead width");
        Config quick = Config.load(Path.of("configs/seg/kumar-quickstart.yaml"));
        assertEquals(128, SegFinetuneSettings.from(quick).seg().semantic().convDims());
    }
}
