package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.torch.pt.PtFile;

/**
 * Stage 1 writes the snapshot stage 2 starts from, as the release's stage 2 started from stage 1's
 * network-snapshot-000308; and the release's own stage_1.yaml starts a run once given data.
 */
class StageHandOffTest {
    @TempDir
    static Path root;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = root.resolve("data");
        PretrainFixtures.prepareData(data);
    }

    @Test
    void snapshotPointsAreTheFirstIterationsThatReachThem() {
        Snapshots release = new Snapshots(List.of(308.0), 12);
        assertEquals(null, release.due(25666), "25,666 x 12 = 307,992 images");
        assertEquals("network-snapshot-000308.pt", release.due(25667));
        assertEquals(null, release.due(25668));
        Snapshots two = new Snapshots(List.of(200.0, 308.0), 8);
        assertEquals("network-snapshot-000200.pt", two.due(25000));
        assertEquals("network-snapshot-000308.pt", two.due(38500));
    }

    /**
     * The release's stage_1.yaml and stage_2.yaml, given data (and narrow networks, to stay quick):
     * stage 1 writes its snapshot (here after 2 images, iteration 1 of 2) and stage 2 starts from it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theReleasesStagesStartGivenDataAndHandOverThroughTheSnapshot() throws Exception {
        Path s1 = root.resolve("stage_1");
        Config c1 = Config.load(release("stage_1.yaml"), releaseOverrides(s1, "SOLVER.MAX_ITER", "2", "SOLVER.SNAPSHOT_KIMG",
                "[0.002]"));
        Pretrainer.Result r1 = PretrainFixtures.run(c1, false);
        assertEquals(2, r1.iterations());
        assertTrue(Files.readString(s1.resolve("config.yaml")).contains("LAMBDA_MRCNN_NUCLEUS: 6.0"));
        Path snapshot = s1.resolve("network-snapshot-000000.pt");
        assertTrue(Files.isRegularFile(snapshot), "stage 1 wrote the snapshot");
        Map<String, Object> ckpt = (Map<String, Object>) PtFile.read(snapshot);
        assertEquals(1L, ((Number) ckpt.get("iteration")).longValue());
        for (String k : List.of("G_AB", "G_BA", "D_B", "D_A", "augment_pipe")) {
            assertTrue(ckpt.containsKey(k), "snapshot holds " + k);
        }

        Path s2 = root.resolve("stage_2");
        Config c2 = Config.load(release("stage_2.yaml"), releaseOverrides(s2, "SOLVER.MAX_ITER", "1", "MODEL.WEIGHTS",
                snapshot.toString()));
        assertEquals("scratch", c2.getString("CYCLE.BA_SCRATCH"));
        Pretrainer.Result r2 = PretrainFixtures.run(c2, false);
        assertEquals(1, r2.iterations());
        assertFalse(r2.interrupted());
    }

    private static List<String> releaseOverrides(Path out, String... more) {
        List<String> o = PretrainFixtures.tinyOverrides(data, out);
        o.addAll(List.of("CYCLE.DATASET_A_NAME", "masks", "CYCLE.DATASET_B_NAME", "tissue", "CYCLE.DATASET_SCALE", "['10x_64']",
                "INPUT.MAX_SIZE_TRAIN", "64", "SOLVER.STEPS", "[]", "MODEL.RESNETS.WIDTH_PER_GROUP", "32",
                "MODEL.RESNETS.STEM_OUT_CHANNELS", "32", "MODEL.RESNETS.RES2_OUT_CHANNELS", "128"));
        o.addAll(List.of(more));
        return o;
    }

    private static Path release(String stage) throws URISyntaxException {
        return Path.of(StageHandOffTest.class.getResource("/org/unitpath/config/release/configs/ours/selfsup/" + stage).toURI());
    }
}
