#!/usr/bin/env python3
"""Times what `unitpath bench backbone` times, in Python PyTorch, for a side-by-side comparison.

ResNet-50 trunk (torchvision, GroupNorm(32) by default) forward+backward on random images,
then trunk + FPN (torchvision FeaturePyramidNetwork, 256 channels, GN, P6 by max-pool); each line
ends with the step's rise of resident memory, measured as unitpath's StepTimer does (steptimer.py).
Usage: python3 bench/bench_backbone.py [--threads 2] [--batch 2] [--size 256] [--iters 10]
This is a benchmark helper only; unitpath itself never runs Python.
"""
import argparse

import torch
import torchvision
from torchvision.ops import FeaturePyramidNetwork
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool

from steptimer import measure


def norm_layer(kind):
    if kind == "GN":
        return lambda c: torch.nn.GroupNorm(32, c)
    if kind == "BN":
        return torch.nn.BatchNorm2d
    return torchvision.ops.FrozenBatchNorm2d


class TrunkFpn(torch.nn.Module):
    def __init__(self, norm):
        super().__init__()
        self.trunk = torchvision.models.resnet50(norm_layer=norm_layer(norm))
        self.fpn = FeaturePyramidNetwork([256, 512, 1024, 2048], 256, extra_blocks=LastLevelMaxPool(),
                                         norm_layer=norm_layer(norm))

    def forward(self, x):
        t = self.trunk
        x = t.maxpool(t.relu(t.bn1(t.conv1(x))))
        feats = {}
        for i, layer in enumerate([t.layer1, t.layer2, t.layer3, t.layer4]):
            x = layer(x)
            feats["res%d" % (i + 2)] = x
        return self.fpn(feats)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--norm", default="GN")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iters", type=int, default=10)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.randn(a.batch, 3, a.size, a.size)
    print("python bench backbone: ResNet-50-%s, batch %d, 3x%dx%d, cpu, %d threads, torch %s"
          % (a.norm, a.batch, a.size, a.size, torch.get_num_threads(), torch.__version__), flush=True)
    trunk = torchvision.models.resnet50(norm_layer=norm_layer(a.norm))
    trunk.fc = torch.nn.Identity()
    both = TrunkFpn(a.norm)
    for name, step in [("trunk", lambda: trunk(x).sum().backward()),
                       ("trunk+FPN", lambda: sum(v.sum() for v in both(x).values()).backward())]:
        print("%-10s fwd+bwd %s" % (name, measure(step, a.warmup, a.iters).line(a.batch)), flush=True)


if __name__ == "__main__":
    main()
