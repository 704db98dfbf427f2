package org.unitpath.io.slide;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Copies decoded pixels of any layout a decoder returns into an 8-bit RGB {@link SampledRegion}:
 * palette entries are looked up, greyscale is repeated into R, G and B, samples wider than 8 bits
 * are scaled to 0..255 (v * 255 / max, rounded, as libtiff does), alpha is dropped.
 */
final class Pixels {
    private Pixels() {}

    /** Whether {@code cm} holds colours this class can turn into RGB: palette, grey or RGB (with or without alpha). */
    static boolean brightfield(ColorModel cm) {
        return cm instanceof IndexColorModel || cm.getNumColorComponents() == 1 || cm.getNumColorComponents() == 3;
    }

    /**
     * Copies the samples of {@code r} that {@code src} holds: pixel (i, j) of {@code src} is source
     * pixel (x0 + i * srcStep, y0 + j * srcStep), and {@code r.step} is a multiple of {@code srcStep}
     * (1 for a full-resolution decode, {@code r.step} for one the decoder already subsampled).
     */
    static void copy(BufferedImage src, int x0, int y0, int srcStep, SampledRegion r) {
        Raster raster = src.getRaster();
        ColorModel cm = src.getColorModel();
        Span s = new Span(r, x0, y0, srcStep, raster.getWidth(), raster.getHeight());
        if (s.empty()) {
            return;
        }
        if (cm instanceof IndexColorModel icm) {
            copyIndexed(raster, icm, s, r);
        } else if (cm.getNumColorComponents() == 3 && bytes(raster, cm)) {
            copyInterleavedBytes(raster, s, r);
        } else if (raster.getNumBands() >= cm.getNumColorComponents()) {
            copyScaled(raster, cm, s, r);
        } else {
            copyThroughColorModel(raster, cm, s, r);
        }
    }

    /** Output samples [u0, u1) x [v0, v1) of {@code r} that lie in the source block; {@link #i}/{@link #j} say where. */
    private record Span(SampledRegion r, int x0, int y0, int srcStep, int u0, int v0, int u1, int v1) {
        Span(SampledRegion r, int x0, int y0, int srcStep, int w, int h) {
            this(r, x0, y0, srcStep, Math.max(0, ceilDiv(x0 - r.x, r.step)), Math.max(0, ceilDiv(y0 - r.y, r.step)),
                    Math.min(r.width, ceilDiv(x0 + w * srcStep - r.x, r.step)),
                    Math.min(r.height, ceilDiv(y0 + h * srcStep - r.y, r.step)));
        }

        boolean empty() {
            return u0 >= u1 || v0 >= v1;
        }

        /** Source column of output sample u. */
        int i(int u) {
            return (r.x + u * r.step - x0) / srcStep;
        }

        int j(int v) {
            return (r.y + v * r.step - y0) / srcStep;
        }

        /** Source columns between neighbouring output samples. */
        int di() {
            return r.step / srcStep;
        }

        int offset(int u, int v) {
            return 3 * (v * r.width + u);
        }
    }

    private static boolean bytes(Raster raster, ColorModel cm) {
        return raster.getDataBuffer() instanceof DataBufferByte && raster.getSampleModel() instanceof ComponentSampleModel
                && raster.getNumBands() >= 3 && cm.getComponentSize(0) == 8;
    }

    private static void copyInterleavedBytes(Raster raster, Span s, SampledRegion r) {
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte db = (DataBufferByte) raster.getDataBuffer();
        int[] banks = sm.getBankIndices();
        int[] offsets = sm.getBandOffsets();
        int pixel = sm.getPixelStride();
        int stride = pixel * s.di();
        int tx = -raster.getSampleModelTranslateX();
        int ty = -raster.getSampleModelTranslateY();
        for (int c = 0; c < 3; c++) {
            byte[] plane = db.getData(banks[c]);
            int start = offsets[c] + db.getOffsets()[banks[c]] + (s.i(s.u0()) + tx) * pixel;
            for (int v = s.v0(); v < s.v1(); v++) {
                int p = start + (s.j(v) + ty) * sm.getScanlineStride();
                for (int u = s.u0(), o = s.offset(u, v) + c; u < s.u1(); u++, o += 3, p += stride) {
                    r.rgb[o] = plane[p];
                }
            }
        }
    }

    private static void copyIndexed(Raster raster, IndexColorModel icm, Span s, SampledRegion r) {
        int n = icm.getMapSize();
        byte[][] lut = {new byte[n], new byte[n], new byte[n]};
        icm.getReds(lut[0]);
        icm.getGreens(lut[1]);
        icm.getBlues(lut[2]);
        int[] row = new int[raster.getWidth()];
        for (int v = s.v0(); v < s.v1(); v++) {
            raster.getSamples(0, s.j(v), row.length, 1, 0, row);
            for (int u = s.u0(), i = s.i(u), o = s.offset(u, v); u < s.u1(); u++, o += 3, i += s.di()) {
                int idx = Math.min(Math.max(row[i], 0), n - 1);
                r.rgb[o] = lut[0][idx];
                r.rgb[o + 1] = lut[1][idx];
                r.rgb[o + 2] = lut[2][idx];
            }
        }
    }

    private static void copyScaled(Raster raster, ColorModel cm, Span s, SampledRegion r) {
        int bands = raster.getNumBands();
        int[] channel = cm.getNumColorComponents() == 1 ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        long[] max = new long[3];
        for (int c = 0; c < 3; c++) {
            max[c] = (1L << Math.min(32, cm.getComponentSize(channel[c]))) - 1;
        }
        int[] px = new int[raster.getWidth() * bands];
        for (int v = s.v0(); v < s.v1(); v++) {
            raster.getPixels(0, s.j(v), raster.getWidth(), 1, px);
            for (int u = s.u0(), i = s.i(u), o = s.offset(u, v); u < s.u1(); u++, o += 3, i += s.di()) {
                for (int c = 0; c < 3; c++) {
                    long value = px[i * bands + channel[c]] & 0xffffffffL;
                    r.rgb[o + c] = (byte) (max[c] == 255 ? value : (value * 255 + max[c] / 2) / max[c]);
                }
            }
        }
    }

    /** Colour models whose bands are not one per colour (a palette with alpha): slow, but the model knows its colours. */
    private static void copyThroughColorModel(Raster raster, ColorModel cm, Span s, SampledRegion r) {
        Object pixel = null;
        for (int v = s.v0(); v < s.v1(); v++) {
            for (int u = s.u0(), i = s.i(u), o = s.offset(u, v); u < s.u1(); u++, o += 3, i += s.di()) {
                pixel = raster.getDataElements(i, s.j(v), pixel);
                r.rgb[o] = (byte) cm.getRed(pixel);
                r.rgb[o + 1] = (byte) cm.getGreen(pixel);
                r.rgb[o + 2] = (byte) cm.getBlue(pixel);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
