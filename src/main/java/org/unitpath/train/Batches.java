package org.unitpath.train;

import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.data.CycleSample;
import org.unitpath.data.Instance;
import org.unitpath.seg.GtInstances;
import org.unitpath.torch.Device;
import org.unitpath.torch.Tensors;

/** Turns loader samples (plain Java arrays) into tensors on the training device. */
public final class Batches {
    private Batches() {}

    /** Stacks CHW float images of side {@code size} into N x 3 x size x size. */
    public static Tensor images(List<float[]> chw, int size, Device device) {
        float[] all = new float[chw.size() * 3 * size * size];
        for (int i = 0; i < chw.size(); i++) {
            System.arraycopy(chw.get(i), 0, all, i * 3 * size * size, 3 * size * size);
        }
        return Tensors.of(all, chw.size(), 3, size, size).to(device.toNative(), ScalarType.Float);
    }

    public static Tensor maskImages(List<CycleSample> batch, Device device) {
        return images(batch.stream().map(CycleSample::a).toList(), batch.get(0).size(), device);
    }

    public static Tensor realImages(List<CycleSample> batch, Device device) {
        return images(batch.stream().map(CycleSample::b).toList(), batch.get(0).size(), device);
    }

    /** One image's nuclei as Mask R-CNN ground truth (class 0 = nucleus). */
    public static GtInstances groundTruth(List<Instance> instances, int size, Device device) {
        int k = instances.size();
        float[] boxes = new float[4 * k];
        byte[] masks = new byte[k * size * size];
        for (int i = 0; i < k; i++) {
            Instance n = instances.get(i);
            boxes[4 * i] = n.x0();
            boxes[4 * i + 1] = n.y0();
            boxes[4 * i + 2] = n.x1();
            boxes[4 * i + 3] = n.y1();
            System.arraycopy(n.mask(), 0, masks, i * size * size, size * size);
        }
        Tensor m = torch.zeros(new long[] {k, size, size}, new TensorOptions(ScalarType.Byte));
        if (masks.length > 0) {
            new BytePointer(m.data_ptr()).capacity(masks.length).put(masks);
        }
        var d = device.toNative();
        return new GtInstances(Tensors.of(boxes, k, 4).to(d, ScalarType.Float),
                torch.zeros(new long[] {k}, new TensorOptions(ScalarType.Long)).to(d, ScalarType.Long), m.to(d, ScalarType.Byte));
    }

    /** Nucleus / background maps N x H x W (long) for the semantic head. */
    public static Tensor semanticMaps(List<CycleSample> batch, Device device) {
        return semanticMaps(batch.stream().map(CycleSample::semantic).toList(), batch.get(0).size(), device);
    }

    /** Per-pixel class maps (one byte per pixel, side {@code size}) as N x H x W long. */
    public static Tensor semanticMaps(List<byte[]> maps, int size, Device device) {
        Tensor out = torch.zeros(new long[] {maps.size(), size, size}, new TensorOptions(ScalarType.Byte));
        byte[] all = new byte[maps.size() * size * size];
        for (int i = 0; i < maps.size(); i++) {
            System.arraycopy(maps.get(i), 0, all, i * size * size, size * size);
        }
        new BytePointer(out.data_ptr()).capacity(all.length).put(all);
        return out.to(device.toNative(), ScalarType.Long);
    }
}
