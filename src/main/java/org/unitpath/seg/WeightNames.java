package org.unitpath.seg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.Tensors;

/**
 * Renames ResNet trunk weights between Detectron2 ({@code backbone.bottom_up.res2.0.conv1.norm.weight})
 * and torchvision ({@code layer1.0.bn1.weight}), as the release's convert-d2-to-torchvision tool
 * does, so that {@code torchvision.models.resnet50(norm_layer=...)} loads our trunk with
 * {@code strict=True} and our trunk loads torchvision-named ResNet-50 weights.
 */
public final class WeightNames {
    /** Where S keeps its trunk. */
    public static final String TRUNK_PREFIX = "backbone.bottom_up.";

    /** CAFFE2: Detectron1 / Caffe2 blob names ({@code res2_0_branch2a_w}), read through {@link Caffe2Names}. */
    public enum Naming { TORCHVISION, DETECTRON2, CAFFE2, UNKNOWN }

    private static final Pattern D2_STEM = Pattern.compile("stem\\.conv1\\.(weight|norm\\.(.+))");
    private static final Pattern D2_BLOCK = Pattern.compile("res([2-5])\\.(\\d+)\\.(conv[123]|shortcut)\\.(weight|norm\\.(.+))");
    private static final Pattern TV_STEM = Pattern.compile("(conv1\\.weight|bn1\\.(.+))");
    private static final Pattern TV_BLOCK = Pattern.compile("layer([1-4])\\.(\\d+)\\.(conv[123]\\.weight|bn([123])\\.(.+)|downsample\\.0\\.weight|downsample\\.1\\.(.+))");

    private WeightNames() {}

    /** Which naming a state dict uses, judged by its stem convolution. */
    public static Naming detect(Map<String, Tensor> sd) {
        if (sd.containsKey("conv1.weight") && sd.keySet().stream().anyMatch(k -> k.startsWith("layer1."))) {
            return Naming.TORCHVISION;
        }
        if (sd.keySet().stream().anyMatch(k -> k.endsWith("stem.conv1.weight"))) {
            return Naming.DETECTRON2;
        }
        if (Caffe2Names.looksLike(sd.keySet())) {
            return Naming.CAFFE2;
        }
        return Naming.UNKNOWN;
    }

    /** The prefix before {@code stem.conv1.weight} in a Detectron2-named dict ("" for a bare trunk). */
    public static String trunkPrefix(Map<String, Tensor> d2) {
        for (String k : d2.keySet()) {
            if (k.endsWith("stem.conv1.weight")) {
                return k.substring(0, k.length() - "stem.conv1.weight".length());
            }
        }
        throw new IllegalArgumentException("no ResNet trunk (stem.conv1.weight) in the state dict");
    }

    /**
     * Detectron2 names to torchvision names. Entries outside the trunk (FPN, heads) are left out.
     * With {@code fcClasses > 0} a zero {@code fc} layer is added so that a stock torchvision
     * ResNet loads the file strictly (replace it with your own head). BatchNorm statistics
     * without {@code num_batches_tracked} (FrozenBN) get a zero counter for the same reason.
     */
    public static Map<String, Tensor> toTorchvision(Map<String, Tensor> d2, int fcClasses) {
        String prefix = trunkPrefix(d2);
        Map<String, Tensor> out = new LinkedHashMap<>();
        long lastChannels = 0;
        for (Map.Entry<String, Tensor> e : d2.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String name = torchvisionName(e.getKey().substring(prefix.length()));
            if (name != null) {
                out.put(name, e.getValue());
                if (name.startsWith("layer4.") && name.endsWith("conv3.weight")) {
                    lastChannels = e.getValue().size(0);
                }
            }
        }
        addBatchCounters(out);
        if (fcClasses > 0) {
            if (lastChannels == 0) {
                throw new IllegalArgumentException("cannot add an fc layer: the trunk has no res5 stage");
            }
            out.put("fc.weight", Tensors.zeros(fcClasses, lastChannels));
            out.put("fc.bias", Tensors.zeros(fcClasses));
        }
        return out;
    }

    /** torchvision names to Detectron2 names under {@code prefix}; {@code fc.*} is left out. */
    public static Map<String, Tensor> toDetectron2(Map<String, Tensor> tv, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tv.entrySet()) {
            String name = detectron2Name(e.getKey());
            if (name != null) {
                out.put(prefix + name, e.getValue());
            }
        }
        return out;
    }

    /** Bare Detectron2 trunk names under {@code prefix} (e.g. {@link #TRUNK_PREFIX}), in the same order. */
    public static Map<String, Tensor> withPrefix(Map<String, Tensor> bare, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        bare.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    static String torchvisionName(String d2) {
        Matcher m = D2_STEM.matcher(d2);
        if (m.matches()) {
            return m.group(2) == null ? "conv1.weight" : "bn1." + m.group(2);
        }
        m = D2_BLOCK.matcher(d2);
        if (!m.matches()) {
            return null;
        }
        String block = "layer" + (Integer.parseInt(m.group(1)) - 1) + "." + m.group(2) + ".";
        String conv = m.group(3);
        String normParam = m.group(5);
        if (conv.equals("shortcut")) {
            return block + (normParam == null ? "downsample.0.weight" : "downsample.1." + normParam);
        }
        return block + (normParam == null ? conv + ".weight" : "bn" + conv.charAt(4) + "." + normParam);
    }

    static String detectron2Name(String tv) {
        Matcher m = TV_STEM.matcher(tv);
        if (m.matches()) {
            return m.group(2) == null ? "stem.conv1.weight" : "stem.conv1.norm." + m.group(2);
        }
        m = TV_BLOCK.matcher(tv);
        if (!m.matches()) {
            return null;
        }
        String block = "res" + (Integer.parseInt(m.group(1)) + 1) + "." + m.group(2) + ".";
        String rest = m.group(3);
        if (rest.startsWith("conv")) {
            return block + rest;
        }
        if (rest.startsWith("bn")) {
            return block + "conv" + m.group(4) + ".norm." + m.group(5);
        }
        return block + (rest.equals("downsample.0.weight") ? "shortcut.weight" : "shortcut.norm." + m.group(6));
    }

    private static void addBatchCounters(Map<String, Tensor> tv) {
        for (String k : java.util.List.copyOf(tv.keySet())) {
            if (k.endsWith(".running_mean")) {
                String counter = k.substring(0, k.length() - "running_mean".length()) + "num_batches_tracked";
                tv.putIfAbsent(counter, torch.zeros(new long[] {}, new TensorOptions(torch.ScalarType.Long)));
            }
        }
    }
}
