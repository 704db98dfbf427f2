package org.unitpath.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.RgbImage;
import org.unitpath.torch.Tensors;

class SampleGridTest {
    @TempDir
    Path dir;

    /** n images, c channels, h x w, value of (image i, channel ch, y, x) = f. */
    private static Tensor batch(int n, int c, int h, int w, Value f) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        v[((i * c + ch) * h + y) * w + x] = f.at(i, ch, y, x);
                    }
                }
            }
        }
        return Tensors.of(v, n, c, h, w);
    }

    interface Value {
        float at(int i, int ch, int y, int x);
    }

    @Test
    void mapsMinusOneToOneOnto0To255AndClamps() {
        assertEquals(0, SampleGrid.toByte(-1f));
        assertEquals(128, SampleGrid.toByte(0f));
        assertEquals(255, SampleGrid.toByte(1f));
        assertEquals(255, SampleGrid.toByte(3.5f));
        assertEquals(0, SampleGrid.toByte(-7f));
        assertEquals(0, SampleGrid.toByte(Float.NaN));
    }

    @Test
    void placesEveryImageInItsCell() {
        int n = 3;
        int h = 5;
        int w = 7;
        List<Tensor> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            int row = r;
            rows.add(batch(n, 3, h, w, (i, ch, y, x) -> -1f + (row * 30 + i * 10 + ch * 3 + (x + y) % 2) / 127.5f));
        }
        RgbImage img = SampleGrid.render(rows, null);
        int g = SampleGrid.GAP;
        assertEquals(g + n * (w + g), img.width());
        assertEquals(g + 4 * (h + g), img.height());
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    int x0 = g + i * (w + g);
                    int y0 = g + r * (h + g);
                    assertEquals(r * 30 + i * 10 + ch * 3, img.get(x0, y0, ch), "row " + r + " image " + i);
                    assertEquals(r * 30 + i * 10 + ch * 3 + 1, img.get(x0 + 1, y0, ch));
                    assertEquals(r * 30 + i * 10 + ch * 3, img.get(x0 + w - 1, y0 + h - 1, ch));
                }
            }
        }
        assertEquals(255, img.get(g + w, g, 0), "white gap between cells");
        assertEquals(255, img.get(0, 0, 1), "white border");
    }

    @Test
    void shorterRowsAndGreyRowsFit() {
        RgbImage img = SampleGrid.render(List.of(batch(4, 3, 6, 6, (i, c, y, x) -> 1f), batch(2, 1, 6, 6, (i, c, y, x) -> -1f)), List.of());
        int g = SampleGrid.GAP;
        assertEquals(g + 4 * (6 + g), img.width());
        int y1 = g + 6 + g;
        assertEquals(0, img.get(g, y1, 2), "grey row copied to all channels");
        assertEquals(255, img.get(g + 3 * (6 + g), y1, 0), "missing cells stay background");
    }

    @Test
    void labelsAddALeftMarginWithText() {
        List<Tensor> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rows.add(batch(2, 3, 32, 32, (i, c, y, x) -> 0f));
        }
        RgbImage plain = SampleGrid.render(rows, null);
        RgbImage labelled = SampleGrid.render(rows, SampleGrid.PRETRAINING_LABELS);
        int margin = labelled.width() - plain.width();
        assertTrue(margin > 40, "margin " + margin);
        assertEquals(plain.height(), labelled.height());
        for (int r = 0; r < 4; r++) {
            int dark = 0;
            for (int y = 2 + r * 34; y < 2 + r * 34 + 32; y++) {
                for (int x = 0; x < margin; x++) {
                    dark += labelled.get(x, y, 0) < 128 ? 1 : 0;
                }
            }
            assertTrue(dark > 10, "row " + r + " label drawn (" + dark + " dark pixels)");
        }
        assertEquals(128, labelled.get(margin + SampleGrid.GAP, SampleGrid.GAP, 0), "images shifted right by the margin");
    }

    @Test
    void writesAPngThatImageIoReads() throws IOException {
        Path file = SampleGrid.path(dir, 1500);
        assertEquals(dir.resolve("samples/iter_00001500.png"), file);
        List<Tensor> rows = List.of(batch(2, 3, 8, 8, (i, c, y, x) -> c == 0 ? 1f : -1f), batch(2, 3, 8, 8, (i, c, y, x) -> 0f));
        SampleGrid.write(file, rows, List.of("a", "b"));
        BufferedImage png = ImageIO.read(file.toFile());
        RgbImage expected = SampleGrid.render(rows, List.of("a", "b"));
        assertEquals(expected.width(), png.getWidth());
        assertEquals(expected.height(), png.getHeight());
        int x = expected.width() - SampleGrid.GAP - 1;
        assertEquals(0xff0000, png.getRGB(x, SampleGrid.GAP) & 0xffffff);
        assertEquals(0x808080, png.getRGB(x, 2 * SampleGrid.GAP + 8) & 0xffffff);
    }

    @Test
    void rejectsMismatchedInput() {
        Tensor a = batch(1, 3, 4, 4, (i, c, y, x) -> 0f);
        Tensor b = batch(1, 3, 4, 5, (i, c, y, x) -> 0f);
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.render(List.of(a, b), null));
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.render(List.of(a), List.of("x", "y")));
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.render(List.of(Tensors.zeros(2, 4, 4)), null));
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.render(List.of(), null));
    }
}
