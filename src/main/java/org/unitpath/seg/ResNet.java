package org.unitpath.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Layer;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * Detectron2's bottleneck ResNet ({@code backbone.bottom_up} of S): {@code stem}, then stages
 * {@code res2..res5} of blocks {@code 0..n-1}; strides 4, 4, 8, 16, 32. Stages after the last
 * requested output feature are not built.
 */
public final class ResNet extends Module {
    public final ResNetConfig config;
    private final BasicStem stem;
    private final List<Stage> stages = new ArrayList<>();

    /** One ResNet stage: a sequence of blocks named 0..n-1. */
    public static final class Stage extends Module implements Layer {
        final String name;
        private final List<BottleneckBlock> blocks = new ArrayList<>();

        Stage(String name) {
            this.name = name;
        }

        void add(BottleneckBlock b) {
            blocks.add(child(Integer.toString(blocks.size()), b));
        }

        @Override
        public Tensor forward(Tensor x) {
            return MemoryScope.chain(x, blocks.stream().<UnaryOperator<Tensor>>map(b -> b::forward).toList());
        }
    }

    public ResNet(ResNetConfig config) {
        this.config = config;
        String frozenNorm = config.norm().equals("BN") ? "FrozenBN" : config.norm();
        int freezeAt = config.freezeAt();
        stem = child("stem", new BasicStem(3, config.stemOutChannels(), freezeAt >= 1 ? frozenNorm : config.norm()));
        if (freezeAt >= 1) {
            stem.requiresGrad(false);
        }
        int lastStage = config.outFeatures().stream().mapToInt(ResNetConfig.ALL_STAGES::indexOf).max().orElse(-1);
        int[] blocks = ResNetConfig.blocksPerStage(config.depth());
        int in = config.stemOutChannels();
        int bottleneck = config.numGroups() * config.widthPerGroup();
        int out = config.res2OutChannels();
        for (int s = 0; s <= lastStage; s++) {
            int stageIndex = s + 2;
            boolean frozen = freezeAt >= stageIndex;
            Stage stage = child("res" + stageIndex, new Stage("res" + stageIndex));
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                stage.add(new BottleneckBlock(b == 0 ? in : out, out, bottleneck, stride, config.numGroups(),
                        frozen ? frozenNorm : config.norm(), config.strideInOneByOne()));
            }
            if (frozen) {
                stage.requiresGrad(false);
            }
            stages.add(stage);
            in = out;
            bottleneck *= 2;
            out *= 2;
        }
    }

    /** Features by name ("stem", "res2".."res5"), those of {@code config.outFeatures()} only. */
    public Map<String, Tensor> forward(Tensor x) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        run(x, out);
        return out;
    }

    /** The global-average-pooled last stage: the 2048-d feature of a ResNet-50 used for classification. */
    public Tensor pooled(Tensor x) {
        return F.globalAvgPool(run(x, null));
    }

    private Tensor run(Tensor x, Map<String, Tensor> out) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("ResNet expects N x 3 x H x W images, got " + java.util.Arrays.toString(x.shape()));
        }
        x = stem.forward(x);
        if (out != null && config.outFeatures().contains("stem")) {
            out.put("stem", x);
        }
        for (Stage stage : stages) {
            x = stage.forward(x);
            if (out != null && config.outFeatures().contains(stage.name)) {
                out.put(stage.name, x);
            }
        }
        return x;
    }
}
