package org.unitpath.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/**
 * A PNG contact sheet of image batches: one row per N x C x H x W tensor in [-1, 1] (C = 3, or 1
 * for grey), e.g. the pretraining grid real A | G(A) | real B | S(B), with optional row labels in
 * a left margin. Values are clamped to [-1, 1] and mapped to 0..255.
 */
public final class SampleGrid {
    /** The folder under a run's output directory that holds the grids. */
    public static final String FOLDER = "samples";
    /** The labels of the pretraining grid's four rows. */
    public static final List<String> PRETRAINING_LABELS = List.of("real A (mask)", "fake B = G(A)", "real B", "fake A = S(B)");

    static final int GAP = 2;
    private static final int BACKGROUND = 255;
    private static final Logger LOG = LoggerFactory.getLogger(SampleGrid.class);
    private static volatile boolean textFailed;

    private SampleGrid() {}

    /** {@code <outputDir>/samples/iter_00001000.png}: zero-padded so that names sort by iteration. */
    public static Path path(Path outputDir, long iter) {
        return outputDir.resolve(FOLDER).resolve(String.format(Locale.ROOT, "iter_%08d.png", iter));
    }

    /** Renders the grid and writes it atomically as PNG. */
    public static void write(Path file, List<Tensor> rows, List<String> labels) throws IOException {
        Png.write(file, render(rows, labels));
    }

    /**
     * The grid as an image: rows of equal image size, as many columns as the longest row,
     * {@value #GAP}-px white gaps; {@code labels} (null or empty for none) name the rows.
     */
    public static RgbImage render(List<Tensor> rows, List<String> labels) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a sample grid needs at least one row");
        }
        if (labels != null && !labels.isEmpty() && labels.size() != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + labels.size() + " labels");
        }
        List<float[]> data = new ArrayList<>();
        long[] shape = null;
        int columns = 0;
        try (MemoryScope scope = MemoryScope.open()) {
            for (Tensor row : rows) {
                long[] s = row.shape();
                if (s.length != 4 || s[1] != 3 && s[1] != 1 || s[0] < 1) {
                    throw new IllegalArgumentException("grid rows must be N x 3 x H x W (or N x 1 x H x W), got "
                            + Tensors.shapeOf(row));
                }
                if (shape != null && (s[2] != shape[2] || s[3] != shape[3])) {
                    throw new IllegalArgumentException("grid rows differ in image size: " + Tensors.shapeOf(row) + " vs "
                            + Arrays.toString(shape));
                }
                shape = s;
                columns = Math.max(columns, (int) s[0]);
                data.add(Tensors.toFloats(row.detach().cpu()));
            }
        }
        int h = (int) shape[2];
        int w = (int) shape[3];
        BufferedImage margin = labels == null || labels.isEmpty() ? null : labelMargin(labels, h);
        int left = margin == null ? 0 : margin.getWidth();
        int width = left + GAP + columns * (w + GAP);
        int height = GAP + rows.size() * (h + GAP);
        byte[] rgb = new byte[3 * width * height];
        Arrays.fill(rgb, (byte) BACKGROUND);
        for (int r = 0; r < rows.size(); r++) {
            long[] s = rows.get(r).shape();
            paste(rgb, width, data.get(r), (int) s[0], (int) s[1], h, w, left + GAP, GAP + r * (h + GAP));
        }
        if (margin != null) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < left; x++) {
                    int p = margin.getRGB(x, y);
                    int o = 3 * (y * width + x);
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static void paste(byte[] rgb, int width, float[] v, int n, int c, int h, int w, int x0, int y0) {
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int left = x0 + i * (w + GAP);
            for (int ch = 0; ch < 3; ch++) {
                int src = (i * c + (c == 1 ? 0 : ch)) * plane;
                for (int y = 0; y < h; y++) {
                    int dst = 3 * ((y0 + y) * width + left) + ch;
                    for (int x = 0; x < w; x++, dst += 3) {
                        rgb[dst] = (byte) toByte(v[src + y * w + x]);
                    }
                }
            }
        }
    }

    static int toByte(float value) {
        float clamped = Math.max(-1f, Math.min(1f, value));
        return Float.isNaN(value) ? 0 : Math.round((clamped + 1f) * 127.5f);
    }

    /**
     * The left margin with the row labels, one per {@code cellHeight}-px row. Text needs the
     * platform's fonts, which minimal server images may lack: then the grid has no labels.
     */
    private static BufferedImage labelMargin(List<String> labels, int cellHeight) {
        if (textFailed) {
            return null;
        }
        try {
            int height = GAP + labels.size() * (cellHeight + GAP);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, Math.min(16, cellHeight / 8)));
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D pg = probe.createGraphics();
            FontMetrics fm = pg.getFontMetrics(font);
            int textWidth = 0;
            for (String label : labels) {
                textWidth = Math.max(textWidth, fm.stringWidth(label));
            }
            pg.dispose();
            int pad = fm.getHeight() / 2;
            BufferedImage margin = new BufferedImage(textWidth + 2 * pad, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = margin.createGraphics();
            g.setColor(new Color(BACKGROUND, BACKGROUND, BACKGROUND));
            g.fillRect(0, 0, margin.getWidth(), height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(new Color(40, 40, 40));
            for (int r = 0; r < labels.size(); r++) {
                int centre = GAP + r * (cellHeight + GAP) + cellHeight / 2;
                g.drawString(labels.get(r), pad, centre + (fm.getAscent() - fm.getDescent()) / 2);
            }
            g.dispose();
            return margin;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            textFailed = true;
            LOG.warn("sample grids are written without row labels: no usable font ({})", e.toString());
            return null;
        }
    }
}
