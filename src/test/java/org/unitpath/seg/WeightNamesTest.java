package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.Tensors;

class WeightNamesTest {
    @Test
    void mapsEachKindOfName() {
        assertEquals("conv1.weight", WeightNames.torchvisionName("stem.conv1.weight"));
        assertEquals("bn1.bias", WeightNames.torchvisionName("stem.conv1.norm.bias"));
        assertEquals("layer1.0.conv2.weight", WeightNames.torchvisionName("res2.0.conv2.weight"));
        assertEquals("layer4.2.bn3.weight", WeightNames.torchvisionName("res5.2.conv3.norm.weight"));
        assertEquals("layer2.0.downsample.0.weight", WeightNames.torchvisionName("res3.0.shortcut.weight"));
        assertEquals("layer3.0.downsample.1.running_var", WeightNames.torchvisionName("res4.0.shortcut.norm.running_var"));
        assertNull(WeightNames.torchvisionName("fpn_lateral2.weight"));
        assertEquals("res4.5.conv1.norm.num_batches_tracked", WeightNames.detectron2Name("layer3.5.bn1.num_batches_tracked"));
        assertNull(WeightNames.detectron2Name("fc.weight"));
    }

    @Test
    void everyTorchvisionNameRoundTrips() {
        for (String tag : new String[] {"gn", "bn"}) {
            for (String tv : Fixtures.torchvisionShapes(tag).keySet()) {
                if (tv.startsWith("fc.")) {
                    continue;
                }
                String d2 = WeightNames.detectron2Name(tv);
                assertEquals(tv, WeightNames.torchvisionName(d2), tv + " -> " + d2);
            }
        }
    }

    @Test
    void fullModelNamesAreDetectedAndOnlyTheTrunkIsExported() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("backbone.fpn_lateral2.weight", Tensors.zeros(1));
        s.put("backbone.bottom_up.stem.conv1.weight", Tensors.zeros(1));
        s.put("backbone.bottom_up.res2.0.conv1.weight", Tensors.zeros(1));
        s.put("roi_heads.box_head.fc1.weight", Tensors.zeros(1));
        assertEquals(WeightNames.Naming.DETECTRON2, WeightNames.detect(s));
        assertEquals("backbone.bottom_up.", WeightNames.trunkPrefix(s));
        Map<String, Tensor> tv = WeightNames.toTorchvision(s, 0);
        assertEquals(java.util.List.of("conv1.weight", "layer1.0.conv1.weight"), java.util.List.copyOf(tv.keySet()));
        assertEquals(WeightNames.Naming.TORCHVISION, WeightNames.detect(tv));
        assertEquals(java.util.Set.of("backbone.bottom_up.stem.conv1.weight", "backbone.bottom_up.res2.0.conv1.weight"),
                WeightNames.toDetectron2(tv, WeightNames.TRUNK_PREFIX).keySet());
    }

    @Test
    void fcNeedsTheLastStage() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("stem.conv1.weight", Tensors.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> WeightNames.toTorchvision(s, 1000));
        assertEquals(WeightNames.Naming.UNKNOWN, WeightNames.detect(Map.of("x.weight", Tensors.zeros(1))));
    }
}
