#!/usr/bin/env python3
"""Times what `unitpath bench segmenter` times, in Python PyTorch, for a side-by-side comparison.

S here is torchvision's Mask R-CNN on a ResNet-50-FPN with GroupNorm(32) in the trunk, the FPN
and the 4-conv mask head (nothing frozen, stride in the 3x3 conv, P6 by max-pool), one
foreground class, unitpath's RPN and ROI settings (anchors 32..512 x 3 ratios, 2000/1000
proposals in training and 1000/1000 at test, 512 ROIs per image at 25% positives, 2 FC box
head of 1024, 14x14 pooled masks to 28x28), plus the release's cycle decoder (p2..p5 fused,
two conv + InstanceNorm + ReLU stages, 3x3 conv to the mask image) on the same FPN pass, so
the training step is the 'both' step: detector losses + mean |cycle image|, backward.
The heads are not identical to unitpath's S: torchvision's RoIAlign (sampling ratio 2, not
aligned), its background-inclusive class count in the box and mask predictors, its
probability masks pasted without thresholding; S has no semantic head in either bench.
Timed: a training step at 256x256 (batch 2, twelve 24x24 square nuclei per image, as
BenchSegmenter's syntheticNuclei); inference (eval, no grad) on a 256x256 tile and on a
1000x1000 image (padded to multiples of 32, never resized, as unitpath's detect).
Usage: python3 bench/bench_segmenter.py [--threads 2] [--batch 2] [--iters 5]
This is a benchmark helper only; unitpath itself never runs Python.
"""
import argparse

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads
from torchvision.models.detection.transform import GeneralizedRCNNTransform
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool

from steptimer import measure


def gn(channels):
    return torch.nn.GroupNorm(32, channels)


class NoResize(GeneralizedRCNNTransform):
    """unitpath's S takes images at their own size (padded to 32), never rescaled to min_size."""

    def resize(self, image, target=None):
        return image, target


class CycleDecoder(torch.nn.Module):
    """The release's 'cycle' head: p5, p4, p3 resized to p2 and summed with it, decoded to 3 channels."""

    def __init__(self, fpn=256, filters=128, out=3):
        super().__init__()
        self.smooth1 = self.stage(fpn, filters)
        self.smooth2 = self.stage(filters, filters // 2)
        self.final = torch.nn.Conv2d(filters // 2, out, 3, padding=1)

    @staticmethod
    def stage(cin, cout):
        return torch.nn.Sequential(torch.nn.Conv2d(cin, cout, 3, padding=1), torch.nn.InstanceNorm2d(cout),
                                   torch.nn.ReLU())

    def forward(self, levels):
        p2 = levels[0]
        x = sum(F.interpolate(p, size=p2.shape[-2:], mode="bilinear", align_corners=True) for p in levels[:0:-1]) + p2
        x = F.interpolate(self.smooth1(x), scale_factor=2.0, mode="nearest")
        return self.final(F.interpolate(self.smooth2(x), scale_factor=2.0, mode="nearest"))


def build():
    trunk = torchvision.models.resnet50(norm_layer=gn)
    backbone = BackboneWithFPN(trunk, {"layer1": "0", "layer2": "1", "layer3": "2", "layer4": "3"},
                               [256, 512, 1024, 2048], 256, extra_blocks=LastLevelMaxPool(), norm_layer=gn)
    anchors = AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)
    model = MaskRCNN(backbone, num_classes=2, rpn_anchor_generator=anchors,
                     rpn_pre_nms_top_n_train=2000, rpn_post_nms_top_n_train=1000,
                     rpn_pre_nms_top_n_test=1000, rpn_post_nms_top_n_test=1000,
                     box_batch_size_per_image=512, box_positive_fraction=0.25,
                     mask_head=MaskRCNNHeads(256, [256] * 4, 1, norm_layer=gn))
    # inputs are already normalised ([-1, 1], which the release's pixel mean/std of 127.5 leaves as they are)
    model.transform = NoResize(256, 1333, [0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    return model, CycleDecoder()


def both_loss(model, decoder, images, targets):
    """One backbone pass for the detector losses and the cycle image, as SegmentationNetwork.both."""
    batch, targets = model.transform(list(images), targets)
    features = model.backbone(batch.tensors)
    proposals, rpn_losses = model.rpn(batch, features, targets)
    _, roi_losses = model.roi_heads(features, proposals, batch.image_sizes, targets)
    cycle = decoder([features[k] for k in ("0", "1", "2", "3")])
    return cycle.abs().mean() + sum(rpn_losses.values()) + sum(roi_losses.values())


def synthetic_nuclei():
    """Twelve 24x24 square nuclei on a grid of a 256x256 image (label 1: torchvision's 0 is background)."""
    boxes, masks = [], torch.zeros(12, 256, 256, dtype=torch.uint8)
    for i in range(12):
        x, y = 20 + 60 * (i % 4), 30 + 70 * (i // 4)
        boxes.append([x, y, x + 24, y + 24])
        masks[i, y:y + 24, x:x + 24] = 1
    return {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.ones(12, dtype=torch.int64),
            "masks": masks}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--iters", type=int, default=5)
    a = p.parse_args()
    if a.batch < 1 or a.iters < 1 or a.warmup < 0:
        p.error("need --batch >= 1, --iters >= 1 and --warmup >= 0")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model, decoder = build()
    params = sum(t.numel() for m in (model, decoder) for t in m.parameters())
    print("python bench segmenter: S %.1fM parameters (torchvision Mask R-CNN + cycle head), cpu, %d threads, torch %s"
          % (params / 1e6, torch.get_num_threads(), torch.__version__), flush=True)
    images = torch.randn(a.batch, 3, 256, 256)
    targets = [synthetic_nuclei() for _ in range(a.batch)]
    model.train()
    r = measure(lambda: both_loss(model, decoder, images, targets).backward(), a.warmup, a.iters)
    print("%-32s %s" % ("train step (both, 256, batch %d)" % a.batch, r.line(a.batch)), flush=True)
    model.eval()
    for what, side, iters in [("inference 256x256 tile", 256, a.iters),
                              ("inference 1000x1000 image", 1000, max(1, a.iters // 2))]:
        x = torch.randn(3, side, side)

        def detect():
            with torch.no_grad():
                model([x])

        print("%-32s %s" % (what, measure(detect, a.warmup, iters).line(1)), flush=True)


if __name__ == "__main__":
    main()
