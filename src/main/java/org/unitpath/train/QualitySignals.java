package org.unitpath.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.data.CycleSample;
import org.unitpath.data.Instance;
import org.unitpath.eval.NucleusMetrics;
import org.unitpath.seg.Instances;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Quality signals that need no downloaded network: mask recovery (S's instances on G(mask)
 * against the mask's known nuclei: binary Dice and AJI) on a fixed evaluation set.
 */
final class QualitySignals {
    private static final double SCORE_THRESHOLD = 0.5;

    private QualitySignals() {}

    static Map<String, Double> maskRecovery(Networks nets, List<CycleSample> evalSet, Device device, long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!nets.s.config.instanceHeads() || evalSet.isEmpty()) {
            return out;
        }
        boolean training = nets.s.isTraining();
        nets.s.eval();
        double dice = 0;
        double aji = 0;
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Torch.seed(seed);
            Tensor a = Batches.maskImages(evalSet, device);
            Tensor z = nets.sampler().zDim() > 0 ? Tensors.randnLike(a, a.size(0), nets.sampler().zDim()) : null;
            List<Instances> det = nets.s.detect(nets.sampler().translate(a, z));
            for (int i = 0; i < evalSet.size(); i++) {
                CycleSample sample = evalSet.get(i);
                int[] truth = render(sample.instances(), sample.size());
                int[] pred = render(det.get(i), SCORE_THRESHOLD);
                dice += dice(truth, pred);
                aji += NucleusMetrics.aji(sample.size(), sample.size(), truth, pred);
            }
        } finally {
            nets.s.train(training);
        }
        out.put("mask_dice", dice / evalSet.size());
        out.put("mask_aji", aji / evalSet.size());
        return out;
    }

    static int[] render(List<Instance> instances, int size) {
        int[] map = new int[size * size];
        int id = 0;
        for (Instance n : instances) {
            id++;
            for (int p = 0; p < map.length; p++) {
                if (n.mask()[p] != 0 && map[p] == 0) {
                    map[p] = id;
                }
            }
        }
        return map;
    }

    /** Instances above the score threshold painted by decreasing score; earlier ones keep their pixels. */
    static int[] render(Instances d, double minScore) {
        int n = (int) (d.imageHeight() * d.imageWidth());
        int[] map = new int[n];
        float[] masks = Tensors.toFloats(d.masks());
        float[] scores = Tensors.toFloats(d.scores());
        int id = 0;
        for (int k = 0; k < d.size(); k++) {
            if (scores[k] < minScore) {
                continue;
            }
            id++;
            for (int p = 0; p < n; p++) {
                if (masks[k * n + p] > 0 && map[p] == 0) {
                    map[p] = id;
                }
            }
        }
        return map;
    }

    static double dice(int[] truth, int[] pred) {
        long t = 0;
        long p = 0;
        long both = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean a = truth[i] != 0;
            boolean b = pred[i] != 0;
            t += a ? 1 : 0;
            p += b ? 1 : 0;
            both += a && b ? 1 : 0;
        }
        return t + p == 0 ? 1.0 : 2.0 * both / (t + p);
    }
}
