package org.unitpath.train;

import java.util.List;
import org.unitpath.config.Config;
import org.unitpath.seg.PixelNorm;

/**
 * The release's Detectron2 input keys (INPUT.MIN/MAX_SIZE_*, RANDOM_FLIP, MODEL.PIXEL_*) where
 * unitpath has its own way of sizing images: accepted exactly when they ask for what unitpath
 * does (a resize that changes nothing), refused with the key and the fix otherwise.
 */
public final class InputSizes {
    private InputSizes() {}

    /** INPUT.FLIP_PROB, or 0 when INPUT.RANDOM_FLIP is none. */
    public static double flipProb(Config c) {
        return c.getString("INPUT.RANDOM_FLIP").equals("none") ? 0.0 : c.getDouble("INPUT.FLIP_PROB");
    }

    /** INPUT.FORMAT, MODEL.PIXEL_MEAN and PIXEL_STD as S's input normalisation. */
    public static PixelNorm pixels(Config c) {
        return new PixelNorm(c.getDoubleList("MODEL.PIXEL_MEAN"), c.getDoubleList("MODEL.PIXEL_STD"),
                c.getString("INPUT.FORMAT").equals("BGR"));
    }

    /**
     * Pretraining: the release's cycle mapper resizes every crop to INPUT.MAX_SIZE_TRAIN square, which
     * unitpath takes from CYCLE.SCALES; and G, S and the data share one [-1, 1] pixel space.
     */
    public static void checkPretraining(Config c, int size) {
        int max = c.getInt("INPUT.MAX_SIZE_TRAIN");
        if (max != 0 && max != size) {
            throw new IllegalArgumentException("INPUT.MAX_SIZE_TRAIN " + max + " asks for " + max + "x" + max + " training "
                    + "crops, but CYCLE.SCALES gives " + size + "x" + size + "; set it to " + size + " or 0");
        }
        if (!pixels(c).isRelease()) {
            throw new IllegalArgumentException("INPUT.FORMAT " + c.getString("INPUT.FORMAT") + ", MODEL.PIXEL_MEAN "
                    + c.getDoubleList("MODEL.PIXEL_MEAN") + " / PIXEL_STD " + c.getDoubleList("MODEL.PIXEL_STD") + ": pretraining runs G, S and the data in the release's [-1, 1] "
                    + "RGB space (127.5 / 127.5); other values are supported for fine-tuning only");
        }
    }

    /**
     * Fine-tuning: Detectron2 resizes each random crop to a shortest edge drawn from
     * INPUT.MIN_SIZE_TRAIN (0: no resize), capped at MAX_SIZE_TRAIN; unitpath trains on the crops
     * at native resolution, so only sizes that leave the crop unchanged are accepted.
     */
    public static void checkFinetuning(Config c, int crop) {
        List<Integer> min = c.getIntList("INPUT.MIN_SIZE_TRAIN");
        boolean noResize = min.equals(List.of(0)) || min.stream().allMatch(m -> m == crop);
        int max = c.getInt("INPUT.MAX_SIZE_TRAIN");
        if (!noResize || (max != 0 && max < crop)) {
            throw new IllegalArgumentException("INPUT.MIN_SIZE_TRAIN " + min + " / MAX_SIZE_TRAIN " + max + " would resize the "
                    + crop + "-px training crops; unitpath trains on crops at native resolution: set MIN_SIZE_TRAIN to ["
                    + crop + "] (as the release's Kumar recipe) or [0]");
        }
    }

    /**
     * Why Detectron2's test resize (shortest edge {@code min}, longest at most {@code max}; min 0 =
     * none) would change a {@code width} x {@code height} image, or null when it leaves it as is,
     * as unitpath evaluates every image at its own size.
     */
    public static String testResize(int width, int height, int min, int max) {
        if (min == 0) {
            return null;
        }
        double scale = (double) min / Math.min(width, height);
        double h = height * scale;
        double w = width * scale;
        if (max > 0 && Math.max(h, w) > max) {
            double s = max / Math.max(h, w);
            h *= s;
            w *= s;
        }
        // ResizeShortestEdge.get_output_shape rounds with int(x + 0.5)
        int newH = (int) (h + 0.5);
        int newW = (int) (w + 0.5);
        return newH == height && newW == width ? null : "INPUT.MIN_SIZE_TEST " + min + " / MAX_SIZE_TEST " + max
                + " would resize a " + width + "x" + height + " test image to " + newW + "x" + newH
                + "; unitpath evaluates images at their own size: set INPUT.MIN_SIZE_TEST 0";
    }
}
