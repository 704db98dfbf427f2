package org.unitpath.eval.classify;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.RgbImage;

/**
 * The confusion matrix as a picture: rows are true classes, columns predicted ones; each cell
 * shows its count and row percentage and is shaded by the row-normalised fraction (white 0 to
 * dark blue 1), so classes of very different sizes read alike. Without usable fonts (minimal
 * server images) the cells are drawn without text.
 */
public final class ConfusionMatrixImage {
    private static final Logger LOG = LoggerFactory.getLogger(ConfusionMatrixImage.class);
    private static final Color LOW = new Color(247, 251, 255);
    private static final Color HIGH = new Color(8, 48, 107);
    private static final String CORNER = "true \\ predicted";

    private ConfusionMatrixImage() {}

    public static RgbImage render(ConfusionMatrix m) {
        try {
            return draw(m, new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            LOG.warn("confusion matrix image written without text: no usable font ({})", e.toString());
            return draw(m, null);
        }
    }

    private static RgbImage draw(ConfusionMatrix m, Font font) {
        int k = m.size();
        FontMetrics fm = font == null ? null : metrics(font);
        int labelWidth = 0;
        int cell = 64;
        if (fm != null) {
            for (String c : m.classes()) {
                labelWidth = Math.max(labelWidth, fm.stringWidth(c));
            }
            cell = Math.max(cell, Math.max(labelWidth, fm.stringWidth(Long.toString(m.total()))) + 12);
            labelWidth = Math.max(labelWidth, fm.stringWidth(CORNER)) + 16;
        }
        int left = Math.max(8, labelWidth);
        int top = fm == null ? 8 : 2 * fm.getHeight() + 8;
        BufferedImage img = new BufferedImage(left + k * cell + 8, top + k * cell + 8, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        if (fm != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.DARK_GRAY);
            g.drawString(CORNER, 8, top - 8);
        }
        for (int t = 0; t < k; t++) {
            double[] fractions = m.rowFractions(t);
            for (int p = 0; p < k; p++) {
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(shade(fractions[p]));
                g.fillRect(x, y, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, cell, cell);
                if (fm != null) {
                    g.setColor(fractions[p] > 0.5 ? Color.WHITE : Color.BLACK);
                    centred(g, fm, Long.toString(m.counts()[t][p]), x + cell / 2, y + cell / 2 - 2);
                    centred(g, fm, String.format(Locale.ROOT, "%.0f%%", 100 * fractions[p]), x + cell / 2,
                            y + cell / 2 + fm.getHeight() - 2);
                }
            }
            if (fm != null) {
                g.setColor(Color.BLACK);
                String name = m.classes().get(t);
                g.drawString(name, left - 8 - fm.stringWidth(name), top + t * cell + cell / 2 + fm.getAscent() / 2 - 1);
                centred(g, fm, name, left + t * cell + cell / 2, top - 4 - fm.getDescent());
            }
        }
        g.dispose();
        return ImageFiles.toRgb(img);
    }

    private static FontMetrics metrics(Font font) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        try {
            return pg.getFontMetrics(font);
        } finally {
            pg.dispose();
        }
    }

    private static void centred(Graphics2D g, FontMetrics fm, String text, int cx, int baseline) {
        g.drawString(text, cx - fm.stringWidth(text) / 2, baseline);
    }

    static Color shade(double f) {
        double v = Math.max(0, Math.min(1, f));
        return new Color((int) Math.round(LOW.getRed() + v * (HIGH.getRed() - LOW.getRed())),
                (int) Math.round(LOW.getGreen() + v * (HIGH.getGreen() - LOW.getGreen())),
                (int) Math.round(LOW.getBlue() + v * (HIGH.getBlue() - LOW.getBlue())));
    }
}
