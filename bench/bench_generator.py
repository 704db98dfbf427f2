#!/usr/bin/env python3
"""Times what `unitpath bench generator` times, in Python PyTorch, for a side-by-side comparison.

The same co-modulated StyleGAN2 generator (condition encoder, mapping network, synthesis with
skip RGB outputs) and residual StyleGAN2 discriminator as org.unitpath.gan, layer for layer,
with the same shapes and parameter counts (paper256 and demo64), written here from the Java
classes: equalised-learning-rate layers, unfused modulated convolutions (the training path),
the [1, 3, 3, 1] FIR resampling built from plain convolutions as unitpath's Upfirdn2d does.
Timed: "G fwd+bwd" = mean(G(mask, z)^2) backward; "D step+R1" = the non-saturating D loss on
(fake, real) plus the lazy R1 term (gamma 1, interval 16) with the gradient graph kept, backward;
"D step+R1, ADA" the same with every image through the 'bgc' pipe of augment_peer.py first.
Usage: python3 bench/bench_generator.py [--threads 2] [--batch 4] [--sizes 256,64] [--iters 5]
       python3 bench/bench_generator.py --count-only   (exact G and D parameter counts, nothing timed)
This is a benchmark helper only; unitpath itself never runs Python.
"""
import argparse
import math

import torch
import torch.nn.functional as F
from augment_peer import AugmentPipe

from steptimer import measure

FIR = [1 / 8, 3 / 8, 3 / 8, 1 / 8]  # StyleGAN2's binomial low-pass, unit DC gain
SQRT2 = math.sqrt(2.0)
HALF = math.sqrt(0.5)

# size: resolution, channel base, channel max, z, w, mapping layers, skip resolution, dropout, mbstd group
CONFIGS = {256: (256, 16384, 512, 512, 512, 8, 64, 0.5, 8),  # StyleGanConfig.paper256
           64: (64, 2048, 128, 128, 128, 4, 32, 0.5, 2)}  # StyleGanConfig.demo64


class Config:
    def __init__(self, res, base, cmax, z, w, layers, skip, dropout, mbstd):
        self.res, self.base, self.cmax, self.z, self.w, self.layers, self.skip, self.dropout, self.mbstd = (
            res, base, cmax, z, w, layers, skip, dropout, mbstd)
        self.global_dim = 2 * self.ch(4)
        self.num_ws = 2 * (int(math.log2(res)) - 2) + 2
        self.style_dim = w + self.global_dim  # co-modulation: [w; g]

    def ch(self, r):
        return max(1, min(self.base // r, self.cmax))


def bias_act(x, b, lrelu, gain=1.0):
    if b is not None:
        x = x + b.reshape([1, -1] + [1] * (x.dim() - 2))
    if lrelu:
        x = F.leaky_relu(x, 0.2)
    g = (SQRT2 if lrelu else 1.0) * gain
    return x if g == 1 else x * g


def upfirdn2d(x, up, down, p0, p1, gain):
    """Zero-insert up, pad (negative crops), separable FIR (a true convolution), keep every down-th pixel."""
    n, c, h, w = x.shape
    if up > 1:
        x = F.pad(x.reshape(n, c, h, 1, w, 1), [0, up - 1, 0, 0, 0, up - 1]).reshape(n, c, h * up, w * up)
    x = F.pad(x, [p0, p1, p0, p1])
    f = torch.tensor(FIR[::-1], dtype=x.dtype) * math.sqrt(gain)
    x = F.conv2d(x, f.reshape(1, 1, 1, -1).expand(c, 1, 1, len(FIR)), stride=(1, down), groups=c)
    return F.conv2d(x, f.reshape(1, 1, -1, 1).expand(c, 1, len(FIR), 1), stride=(down, 1), groups=c)


def conv_down(x, w, k):
    """Low-pass then strided conv; a 1x1 kernel down-samples first (same result, cheaper)."""
    p = k // 2 + 1
    if k == 1:
        return F.conv2d(upfirdn2d(x, 1, 2, p, p, 1.0), w)
    return F.conv2d(upfirdn2d(x, 1, 1, p, p, 1.0), w, stride=2)


def conv_up(x, w, k):
    """2x up-sampling conv: strided transposed conv, then the FIR with gain 4."""
    y = F.conv_transpose2d(x, w.transpose(0, 1), stride=2)
    return upfirdn2d(y, 1, 1, k // 2 + 2 - (k - 1), k // 2 + 1 - (k - 2), 4.0)


def modulated_conv(x, weight, styles, demodulate, up):
    """The unfused form: scale activations by the style before, by the demodulation after, a shared conv."""
    n, cin = styles.shape
    k = weight.shape[2]
    y = x * styles.reshape(n, cin, 1, 1)
    y = conv_up(y, weight, k) if up else F.conv2d(y, weight, padding=k // 2)
    if demodulate:
        w = weight.unsqueeze(0) * styles.reshape(n, 1, cin, 1, 1)
        y = y * (w.square().sum([2, 3, 4]) + 1e-8).rsqrt().reshape(n, -1, 1, 1)
    return y


class FullyConnected(torch.nn.Module):
    def __init__(self, cin, cout, lrelu, lr_mul=1.0, bias_init=0.0):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(cout, cin) / lr_mul)
        self.bias = torch.nn.Parameter(torch.full([cout], float(bias_init)))
        self.lrelu, self.lr_mul, self.gain = lrelu, lr_mul, lr_mul / math.sqrt(cin)

    def forward(self, x):
        b = self.bias if self.lr_mul == 1 else self.bias * self.lr_mul
        if not self.lrelu:
            return F.linear(x, self.weight * self.gain, b)
        return bias_act(F.linear(x, self.weight * self.gain), b, True)


class EqConv2d(torch.nn.Module):
    def __init__(self, cin, cout, k, bias, lrelu, down):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = torch.nn.Parameter(torch.zeros(cout)) if bias else None
        self.k, self.lrelu, self.down, self.gain = k, lrelu, down, 1 / math.sqrt(cin * k * k)

    def forward(self, x, gain=1.0):
        w = self.weight * self.gain
        y = conv_down(x, w, self.k) if self.down else F.conv2d(x, w, padding=self.k // 2)
        return bias_act(y, self.bias, self.lrelu, gain)


class SynthesisLayer(torch.nn.Module):
    def __init__(self, cin, cout, style_dim, res, up):
        super().__init__()
        self.affine = FullyConnected(style_dim, cin, False, bias_init=1.0)
        self.weight = torch.nn.Parameter(torch.randn(cout, cin, 3, 3))
        self.register_buffer("noise_const", torch.randn(res, res))
        self.noise_strength = torch.nn.Parameter(torch.zeros([]))
        self.bias = torch.nn.Parameter(torch.zeros(cout))
        self.res, self.up = res, up

    def forward(self, x, style):
        y = modulated_conv(x, self.weight, self.affine(style), True, self.up)
        y = y + torch.randn(x.shape[0], 1, self.res, self.res) * self.noise_strength
        return bias_act(y, self.bias, True)


class ToRgb(torch.nn.Module):
    def __init__(self, cin, style_dim):
        super().__init__()
        self.affine = FullyConnected(style_dim, cin, False, bias_init=1.0)
        self.weight = torch.nn.Parameter(torch.randn(3, cin, 1, 1))
        self.bias = torch.nn.Parameter(torch.zeros(3))
        self.gain = 1 / math.sqrt(cin)

    def forward(self, x, style):
        return bias_act(modulated_conv(x, self.weight, self.affine(style) * self.gain, False, False), self.bias, False)


def add_down_blocks(module, c, skip):
    """fromRGB and the down-sampling blocks the encoder and D share (D adds a 1x1 skip per block)."""
    module.c = c
    module.fromrgb = EqConv2d(3, c.ch(c.res), 1, True, True, False)
    module.resolutions = [c.res >> i for i in range(int(math.log2(c.res)) - 2)]
    for r in module.resolutions:
        module.add_module("b%d_conv0" % r, EqConv2d(c.ch(r), c.ch(r), 3, True, True, False))
        module.add_module("b%d_conv1" % r, EqConv2d(c.ch(r), c.ch(r // 2), 3, True, True, True))
        if skip:
            module.add_module("b%d_skip" % r, EqConv2d(c.ch(r), c.ch(r // 2), 1, False, False, True))


class ConditionEncoder(torch.nn.Module):
    """Skip features at every resolution and the global code g from the mask image."""

    def __init__(self, c):
        super().__init__()
        add_down_blocks(self, c, skip=False)
        self.b4_conv = EqConv2d(c.ch(4), c.ch(4), 3, True, True, False)
        self.fc = FullyConnected(c.ch(4) * 16, c.global_dim, True)

    def forward(self, mask):
        skips = {}
        x = self.fromrgb(mask)
        for r in self.resolutions:
            x = getattr(self, "b%d_conv0" % r)(x)
            skips[r] = x
            x = getattr(self, "b%d_conv1" % r)(x)
        skips[4] = x = self.b4_conv(x)
        return skips, F.dropout(self.fc(x.flatten(1)), self.c.dropout, self.training)


class MappingNetwork(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fcs = torch.nn.ModuleList(FullyConnected(c.z if i == 0 else c.w, c.w, True, lr_mul=0.01)
                                       for i in range(c.layers))
        self.register_buffer("w_avg", torch.zeros(c.w))

    def forward(self, z):
        x = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()
        for fc in self.fcs:
            x = fc(x)
        if self.training:  # the tracked average for truncation, updated as unitpath's training forward does
            with torch.no_grad():
                self.w_avg.copy_(x.detach().mean(0).lerp(self.w_avg, 0.995))
        return x


class SynthesisNetwork(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.fc = FullyConnected(c.global_dim, c.ch(4) * 16, True)
        self.b4_conv1 = SynthesisLayer(c.ch(4), c.ch(4), c.style_dim, 4, False)
        self.b4_torgb = ToRgb(c.ch(4), c.style_dim)
        self.resolutions = [4 << i for i in range(1, int(math.log2(c.res)) - 1)]
        for r in self.resolutions:
            self.add_module("b%d_conv0" % r, SynthesisLayer(c.ch(r // 2), c.ch(r), c.style_dim, r, True))
            self.add_module("b%d_conv1" % r, SynthesisLayer(c.ch(r), c.ch(r), c.style_dim, r, False))
            self.add_module("b%d_torgb" % r, ToRgb(c.ch(r), c.style_dim))

    def forward(self, ws, skips, g):
        def style(i):
            return torch.cat([ws[:, i], g], 1)

        x = self.fc(g).reshape(ws.shape[0], self.c.ch(4), 4, 4) + skips[4]
        x = self.b4_conv1(x, style(0))
        img = self.b4_torgb(x, style(1))
        i = 1
        for r in self.resolutions:
            x = getattr(self, "b%d_conv0" % r)(x, style(i))
            if r <= self.c.skip:
                x = x + skips[r]
            x = getattr(self, "b%d_conv1" % r)(x, style(i + 1))
            img = upfirdn2d(img, 2, 1, 2, 1, 4.0) + getattr(self, "b%d_torgb" % r)(x, style(i + 2))
            i += 2
        return img


class CoModGenerator(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.encoder = ConditionEncoder(c)
        self.mapping = MappingNetwork(c)
        self.synthesis = SynthesisNetwork(c)

    def forward(self, mask, z):
        w = self.mapping(z)
        ws = w.unsqueeze(1).expand(w.shape[0], self.c.num_ws, w.shape[1])
        skips, g = self.encoder(mask)
        return self.synthesis(ws, skips, g)


class Discriminator(torch.nn.Module):
    """Residual StyleGAN2 D: fromRGB, residual down-sampling blocks, minibatch std, conv, FC, logit."""

    def __init__(self, c):
        super().__init__()
        add_down_blocks(self, c, skip=True)
        self.b4_conv = EqConv2d(c.ch(4) + 1, c.ch(4), 3, True, True, False)
        self.b4_fc = FullyConnected(c.ch(4) * 16, c.ch(4), True)
        self.b4_out = FullyConnected(c.ch(4), 1, False)

    def forward(self, img):
        x = self.fromrgb(img)
        for r in self.resolutions:
            y = getattr(self, "b%d_skip" % r)(x, HALF)
            x = getattr(self, "b%d_conv1" % r)(getattr(self, "b%d_conv0" % r)(x), HALF) + y
        x = self.b4_conv(minibatch_std(x, self.c.mbstd))
        return self.b4_out(self.b4_fc(x.flatten(1)))


def minibatch_std(x, group):
    n, c, h, w = x.shape
    g = min(group, n)
    y = x.reshape(g, -1, 1, c, h, w)
    y = ((y - y.mean(0)).square().mean(0) + 1e-8).sqrt()
    y = y.mean([2, 3, 4]).reshape(-1, 1, 1, 1).repeat(g, 1, h, w)
    return torch.cat([x, y], 1)


def d_loss_r1(d, fake, real, gamma=1.0, interval=16, augment=lambda x: x):
    """Non-saturating D loss plus the lazy R1 term, as GanLosses.discriminator + GanLosses.r1Loss,
    every image through augment first (R1 then flows back through it)."""
    x = real.detach().requires_grad_(True)
    real_logits = d(augment(x))
    loss = F.softplus(d(augment(fake))).mean() + F.softplus(-real_logits).mean()
    (grad,) = torch.autograd.grad(real_logits.sum(), x, create_graph=True)
    penalty = grad.square().reshape(grad.shape[0], -1).sum(1)
    return loss + penalty.mean() * (gamma / 2 * interval)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--sizes", default="256,64")
    p.add_argument("--ada-p", type=float, default=0.6, help="augmentation probability of the ADA row; 0 skips it")
    p.add_argument("--count-only", action="store_true", help="print the exact parameter counts and exit")
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    if a.batch < 1 or a.iters < 1 or a.warmup < 0 or any(s not in CONFIGS for s in sizes):
        p.error("need --batch >= 1, --iters >= 1, --warmup >= 0 and --sizes from 256,64")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    for size in sizes:
        torch.manual_seed(0)
        c = Config(*CONFIGS[size])
        g, d = CoModGenerator(c), Discriminator(c)
        ng, nd = (sum(t.numel() for t in m.parameters()) for m in (g, d))
        if a.count_only:
            print("%dx%d: G %d / D %d parameters" % (size, size, ng, nd))
            continue
        print("python bench generator: %dx%d, batch %d, G %.1fM / D %.1fM parameters, cpu, %d threads, torch %s"
              % (size, size, a.batch, ng / 1e6, nd / 1e6, torch.get_num_threads(), torch.__version__),
              flush=True)
        mask = torch.randn(a.batch, 3, size, size)
        real = torch.randn(a.batch, 3, size, size)
        r = measure(lambda: g(mask, torch.randn(a.batch, c.z)).square().mean().backward(), a.warmup, a.iters)
        print("%-21s %s" % ("G fwd+bwd", r.line(a.batch)), flush=True)
        with torch.no_grad():
            fake = g(mask, torch.randn(a.batch, c.z))
        r = measure(lambda: d_loss_r1(d, fake, real).backward(), a.warmup, a.iters)
        print("%-21s %s" % ("D step+R1", r.line(a.batch)), flush=True)
        if a.ada_p > 0:
            pipe = AugmentPipe(a.ada_p)
            r = measure(lambda: d_loss_r1(d, fake, real, augment=pipe).backward(), a.warmup, a.iters)
            print("%-21s %s" % ("D step+R1, ADA p=%.2f" % a.ada_p, r.line(a.batch)), flush=True)


if __name__ == "__main__":
    main()
