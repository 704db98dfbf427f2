package org.unitpath.seg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Tensors;

/**
 * A stand-in for Mask R-CNN in the tiling tests: every 4-connected component of dark pixels
 * (mean of the channels below 0) is one instance with its tight box, class 0 and the score
 * (1 - darkness) / 2, so components of different grey levels get distinct scores.
 */
final class DiscDetector implements Function<Tensor, Instances> {
    final List<long[]> inputShapes = new ArrayList<>();
    /** The smallest pixel value seen in each input's padding (the region beyond {@link #validWidth} x {@link #validHeight}). */
    final List<Float> paddingMinimum = new ArrayList<>();
    int validWidth = Integer.MAX_VALUE;
    int validHeight = Integer.MAX_VALUE;

    @Override
    public Instances apply(Tensor input) {
        inputShapes.add(input.shape());
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        float[] rgb = Tensors.toFloats(input);
        float[] grey = new float[h * w];
        float padMin = Float.POSITIVE_INFINITY;
        for (int i = 0; i < h * w; i++) {
            grey[i] = (rgb[i] + rgb[h * w + i] + rgb[2 * h * w + i]) / 3;
            if (i % w >= validWidth || i / w >= validHeight) {
                padMin = Math.min(padMin, Math.min(rgb[i], Math.min(rgb[h * w + i], rgb[2 * h * w + i])));
            }
        }
        paddingMinimum.add(padMin);
        return detect(grey, w, h);
    }

    /** Components of {@code grey} (row-major, w x h), highest score first. */
    static Instances detect(float[] grey, int w, int h) {
        int[] label = new int[w * h];
        List<int[]> boxes = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < w * h; start++) {
            if (grey[start] >= 0 || label[start] != 0) {
                continue;
            }
            int id = boxes.size() + 1;
            int[] box = {w, h, -1, -1};
            float darkest = grey[start];
            label[start] = id;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int x = p % w;
                int y = p / w;
                box[0] = Math.min(box[0], x);
                box[1] = Math.min(box[1], y);
                box[2] = Math.max(box[2], x + 1);
                box[3] = Math.max(box[3], y + 1);
                darkest = Math.min(darkest, grey[p]);
                int[] neighbours = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
                for (int q : neighbours) {
                    if (q >= 0 && label[q] == 0 && grey[q] < 0) {
                        label[q] = id;
                        queue.add(q);
                    }
                }
            }
            boxes.add(box);
            scores.add((1 - darkest) / 2);
        }
        int k = boxes.size();
        Integer[] order = new Integer[k];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(scores.get(b), scores.get(a)));
        float[] boxData = new float[4 * k];
        float[] scoreData = new float[k];
        float[] masks = new float[k * w * h];
        int[] rank = new int[k];
        for (int r = 0; r < k; r++) {
            int i = order[r];
            rank[i] = r;
            for (int c = 0; c < 4; c++) {
                boxData[4 * r + c] = boxes.get(i)[c];
            }
            scoreData[r] = scores.get(i);
        }
        for (int p = 0; p < w * h; p++) {
            if (label[p] != 0) {
                masks[rank[label[p] - 1] * w * h + p] = 1;
            }
        }
        if (k == 0) {
            return Instances.empty(h, w);
        }
        return new Instances(Tensors.of(boxData, k, 4), Tensors.of(scoreData, k),
                Tensors.zeros(k).to(ScalarType.Long), Tensors.of(masks, k, h, w).to(ScalarType.Bool));
    }
}
