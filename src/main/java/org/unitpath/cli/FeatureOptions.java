package org.unitpath.cli;

import java.nio.file.Path;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The trunk and input options shared by embed, probe and finetune cls. */
final class FeatureOptions {
    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "Pretrained ResNet weights: backbone_torchvision.pt or S.pt from 'unitpath pretrain', or a "
                    + "torchvision-named ResNet-50 (GroupNorm or BatchNorm) saved by Python with torch.save(model.state_dict()).")
    Path weights;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX",
            description = "Images are resized to PX x PX before the network, as in the release's demo (default: ${DEFAULT-VALUE}).")
    int size;

    /** Applies --threads, checks the values and returns the device. */
    Device setUp(int threads) {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (size < 32 || size > 4096) {
            throw new IllegalArgumentException("--size must be 32..4096, got " + size);
        }
        Torch.setThreads(threads);
        return device.get();
    }

    /** Threads decoding images: as many as the tensor kernels use. */
    static int decodeThreads(int threads) {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
