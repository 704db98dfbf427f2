package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.pt.PtFile;

/** Bad input to {@code unitpath segment} gives one clear line and the right exit code, and writes nothing. */
class SegmentCommandErrorsTest {
    @TempDir
    Path dir;

    @Test
    void weightsOfAnotherArchitectureAreRefusedNamingWhatDiffers() throws IOException {
        Path weights = dir.resolve("narrow.pt");
        PtFile.write(weights, new SegmentationNetwork(SegConfig.release().narrowed(2)).stateDict());
        Path image = dir.resolve("a.png");
        Png.write(image, RgbImage.blank(64, 64));
        CliTest.Run r = CliTest.run("segment", "--weights", weights.toString(), "--out", dir.resolve("out").toString(),
                image.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("narrow.pt") && r.err().contains("shape mismatch") && r.err().contains("--config"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void overlapAsLargeAsTheTileIsABadCommandLine() {
        CliTest.Run r = CliTest.run("segment", "--weights", "S.pt", "--tile", "128", "--overlap", "128", "--out",
                dir.toString(), "a.png");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--overlap must be at least 0 and smaller than --tile (128), got 128"), r.err());
    }

    @Test
    void anUnreadableImageIsNamed() throws IOException {
        Path weights = dir.resolve("S.pt");
        PtFile.write(weights, new SegmentationNetwork(SegConfig.release()).stateDict());
        Path bad = dir.resolve("broken.png");
        Files.writeString(bad, "not a png");
        CliTest.Run r = CliTest.run("segment", "--weights", weights.toString(), "--out", dir.resolve("out").toString(),
                bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("broken.png"), r.err());
        assertFalse(Files.exists(dir.resolve("out").resolve("broken.geojson")));
    }
}
