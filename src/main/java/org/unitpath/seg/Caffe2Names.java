package org.unitpath.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.torch.Tensors;

/**
 * Caffe2 / Detectron1 ResNet trunk names ({@code res2_0_branch2a_gn_s}) to Detectron2 names
 * ({@code res2.0.conv1.norm.weight}), the trunk part of Detectron2's
 * {@code convert_basic_c2_names}, for ImageNet files such as {@code R-50-GN.pkl} and MSRA's
 * {@code R-50.pkl}. Everything else ({@code fc1000_*}, {@code *_momentum}, heads) is reported unused.
 */
public final class Caffe2Names {
    private static final Logger log = LoggerFactory.getLogger(Caffe2Names.class);

    private static final String NORM = "_(bn|gn)_(s|b|gamma|beta|rm|riv|running_mean|running_var)";
    private static final Pattern STEM = Pattern.compile("conv1_w|(?:res_)?conv1" + NORM);
    private static final Pattern BLOCK = Pattern.compile("res([2-5])_(\\d+)_branch(1|2a|2b|2c)_(w|" + NORM.substring(1) + ")");
    private static final Map<String, String> PARAMS = Map.of("s", "weight", "gamma", "weight", "b", "bias", "beta", "bias",
            "rm", "running_mean", "running_mean", "running_mean", "riv", "running_var", "running_var", "running_var");
    private static final Map<String, String> BRANCHES = Map.of("1", "shortcut", "2a", "conv1", "2b", "conv2", "2c", "conv3");

    /** Detectron2 trunk weights (bare names, no prefix), the blobs left out, and the input a user should give them. */
    public record Converted(Map<String, Tensor> trunk, List<String> unused, String inputHint) {}

    private Caffe2Names() {}

    /** Whether a dict uses Caffe2 trunk names: a stem convolution and the first bottleneck. */
    public static boolean looksLike(Set<String> names) {
        return names.contains("conv1_w") && names.contains("res2_0_branch2a_w");
    }

    /** The Detectron2 name of one Caffe2 trunk blob, or null when it is not part of the trunk. */
    static String detectron2Name(String c2) {
        Matcher m = STEM.matcher(c2);
        if (m.matches()) {
            return m.group(1) == null ? "stem.conv1.weight" : "stem.conv1.norm." + PARAMS.get(m.group(2));
        }
        m = BLOCK.matcher(c2);
        if (!m.matches()) {
            return null;
        }
        String conv = "res" + m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + BRANCHES.get(m.group(3));
        return m.group(5) == null ? conv + ".weight" : conv + ".norm." + PARAMS.get(m.group(6));
    }

    /**
     * Renames a Caffe2 trunk and checks it is complete. MSRA's AffineChannel norms carry only
     * scale and bias; they get zero means and unit variances, as Detectron2's FrozenBN does when
     * it loads them. Logs the unused blobs and the input the weights were trained on.
     */
    public static Converted toDetectron2(Map<String, Tensor> c2, String file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : c2.entrySet()) {
            String name = detectron2Name(e.getKey());
            if (name == null) {
                unused.add(e.getKey());
            } else if (out.put(name, e.getValue()) != null) {
                throw new IllegalArgumentException(file + ": Caffe2 weights hold two blobs for " + name
                        + " (e.g. both conv1_gn_s and res_conv1_bn_s)");
            }
        }
        boolean gn = c2.containsKey("conv1_gn_s") || c2.containsKey("res_conv1_gn_s");
        requireComplete(c2, gn ? "gn" : "bn", file);
        if (!gn) {
            addRunningStatistics(out);
        }
        String hint = file + ": Caffe2 ImageNet weights (" + (gn ? "GroupNorm, like R-50-GN.pkl" : "AffineChannel, like MSRA R-50.pkl")
                + "); Detectron2 configs for them use INPUT.FORMAT BGR, MODEL.PIXEL_MEAN [103.53, 116.28, 123.675], MODEL.PIXEL_STD "
                + (gn ? "[57.375, 57.12, 58.395]" : "[1.0, 1.0, 1.0]");
        log.info("{}: {} Caffe2 blobs are not part of the ResNet trunk and are not used: {}", file, unused.size(), unused);
        log.info(hint);
        return new Converted(out, List.copyOf(unused), hint);
    }

    /** Every block from 0 up to the last one named needs its convolutions and their scale and bias. */
    private static void requireComplete(Map<String, Tensor> c2, String kind, String file) {
        List<String> required = new ArrayList<>(List.of("conv1_w"));
        String stemNorm = c2.containsKey("conv1_" + kind + "_s") ? "conv1_" : "res_conv1_";
        required.add(stemNorm + kind + "_s");
        required.add(stemNorm + kind + "_b");
        for (int stage = 2; stage <= 5; stage++) {
            int blocks = lastBlock(c2.keySet(), stage) + 1;
            if (blocks == 0) {
                required.add("res" + stage + "_0_branch2a_w");
            }
            for (int i = 0; i < blocks; i++) {
                for (String branch : i == 0 ? List.of("2a", "2b", "2c", "1") : List.of("2a", "2b", "2c")) {
                    String p = "res" + stage + "_" + i + "_branch" + branch + "_";
                    required.addAll(List.of(p + "w", p + kind + "_s", p + kind + "_b"));
                }
            }
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(c2.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(file + ": Caffe2 ResNet weights are incomplete: " + missing.size() + " blob(s) missing: "
                    + missing.stream().limit(5).toList() + (missing.size() > 5 ? " ..." : ""));
        }
    }

    private static int lastBlock(Set<String> names, int stage) {
        Pattern p = Pattern.compile("res" + stage + "_(\\d+)_.*");
        int last = -1;
        for (String n : names) {
            Matcher m = p.matcher(n);
            if (m.matches()) {
                last = Math.max(last, Integer.parseInt(m.group(1)));
            }
        }
        return last;
    }

    private static void addRunningStatistics(Map<String, Tensor> d2) {
        for (String k : List.copyOf(d2.keySet())) {
            if (k.endsWith(".norm.weight")) {
                String norm = k.substring(0, k.length() - "weight".length());
                long channels = d2.get(k).size(0);
                d2.putIfAbsent(norm + "running_mean", Tensors.zeros(channels));
                d2.putIfAbsent(norm + "running_var", Tensors.ones(channels));
            }
        }
    }
}
