"""ADA's 'bgc' augmentation pipe in Python PyTorch, the peer of org.unitpath.gan.AugmentPipe for
`bench/bench_generator.py`'s "D step+R1, ADA" row: the same transforms, ranges and gating
(geometric ones composed into one inverse matrix per image and executed as reflect padding,
2x sym6 up-sampling, gather-based bilinear sampling, sym6 down-sampling; colour ones as one 4x4
matrix per image), twice differentiable with respect to the images so that R1 flows through it.
Random parameters come from Python's own generator: same distributions, not the same stream.
This is a benchmark helper only; unitpath itself never runs Python.
"""
import math
import random

import torch
import torch.nn.functional as F

SYM6 = [0.015404109327027373, 0.0034907120842174702, -0.11799011114819057, -0.048311742585633,
        0.4910559419267466, 0.787641141030194, 0.3379294217276218, -0.07263752278646252,
        -0.021060292512300564, 0.04472490177066578, 0.0017677118642428036, -0.007800708325034148]
SYM6 = [t / sum(SYM6) for t in SYM6]
FILTER_PAD = len(SYM6) // 4
LUMA = [1 / math.sqrt(3)] * 3 + [0.0]
# AugmentSpec.Ranges.defaults(): xint, scale, rotate, aniso, xfrac, brightness, contrast, hue, saturation
XINT, SCALE, ROTATE, ANISO, XFRAC, BRIGHT, CONTRAST, HUE, SAT = 0.125, 0.2, 1, 0.2, 0.125, 0.2, 0.5, 1, 1


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def eye(n):
    return [[float(i == j) for j in range(n)] for i in range(n)]


def t2(tx, ty):
    return [[1, 0, tx], [0, 1, ty], [0, 0, 1]]


def s2(sx, sy):
    return [[sx, 0, 0], [0, sy, 0], [0, 0, 1]]


def r2(theta):
    c, s = math.cos(theta), math.sin(theta)
    return [[c, -s, 0], [s, c, 0], [0, 0, 1]]


def r2_quarter(q):
    c, s = [(1, 0), (0, 1), (-1, 0), (0, -1)][q % 4]
    return [[c, -s, 0], [s, c, 0], [0, 0, 1]]


def t3(v):
    return [[1, 0, 0, v], [0, 1, 0, v], [0, 0, 1, v], [0, 0, 0, 1]]


def s3(s):
    return [[s, 0, 0, 0], [0, s, 0, 0], [0, 0, s, 0], [0, 0, 0, 1]]


def r3(theta):
    x, y, z = LUMA[:3]
    s, c = math.sin(theta), math.cos(theta)
    cc = 1 - c
    return [[x * x * cc + c, x * y * cc - z * s, x * z * cc + y * s, 0],
            [y * x * cc + z * s, y * y * cc + c, y * z * cc - x * s, 0],
            [z * x * cc - y * s, z * y * cc + x * s, z * z * cc + c, 0], [0, 0, 0, 1]]


def luma_flip():
    return [[float(i == j) - 2 * LUMA[i] * LUMA[j] for j in range(4)] for i in range(4)]


def saturation(s):
    return [[LUMA[i] * LUMA[j] + (float(i == j) - LUMA[i] * LUMA[j]) * s for j in range(4)] for i in range(4)]


def upfirdn2d(x, taps, up, down, p0, p1, flip, gain):
    """Zero-insert up, pad (negative crops), separable FIR scaled by sqrt(gain) per axis, keep every down-th pixel."""
    n, c, h, w = x.shape
    if up > 1:
        x = F.pad(x.reshape(n, c, h, 1, w, 1), [0, up - 1, 0, 0, 0, up - 1]).reshape(n, c, h * up, w * up)
    x = F.pad(x, [p0, p1, p0, p1])
    f = torch.tensor(taps if flip else taps[::-1], dtype=x.dtype) * math.sqrt(gain)
    k = len(taps)
    x = F.conv2d(x, f.reshape(1, 1, 1, k).expand(c, 1, 1, k).contiguous(), stride=(1, down), groups=c)
    return F.conv2d(x, f.reshape(1, 1, k, 1).expand(c, 1, k, 1).contiguous(), stride=(down, 1), groups=c)


def bilinear(inp, grid):
    """grid_sample(bilinear, zeros, align_corners=False) as four gathers: linear in inp, so twice differentiable."""
    n, c, h, w = inp.shape
    m = grid.shape[1] * grid.shape[2]
    g = grid.detach().reshape(n, m, 2)
    ix = ((g[..., 0] + 1) * w - 1) / 2
    iy = ((g[..., 1] + 1) * h - 1) / 2
    x0, y0 = ix.floor(), iy.floor()
    x1, y1 = x0 + 1, y0 + 1
    wx1, wy1 = ix - x0, iy - y0
    wx0, wy0 = 1 - wx1, 1 - wy1
    flat = inp.reshape(n, c, h * w)
    out = None
    for cx, cy, wx, wy in ((x0, y0, wx0, wy0), (x1, y0, wx1, wy0), (x0, y1, wx0, wy1), (x1, y1, wx1, wy1)):
        inside = (cx >= 0) & (cx <= w - 1) & (cy >= 0) & (cy <= h - 1)
        weight = (wx * wy * inside.to(wx.dtype)).to(inp.dtype)
        index = (cy.clamp(0, h - 1).long() * w + cx.clamp(0, w - 1).long()).unsqueeze(1).expand(n, c, m)
        term = torch.gather(flat, 2, index) * weight.unsqueeze(1)
        out = term if out is None else out + term
    return out.reshape(n, c, grid.shape[1], grid.shape[2])


def warp(images, g_inv):
    n, c, h, w = images.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    m = [-math.inf] * 4
    for g in g_inv:
        for px, py in ((-cx, -cy), (cx, -cy), (cx, cy), (-cx, cy)):
            qx, qy = g[0][0] * px + g[0][1] * py + g[0][2], g[1][0] * px + g[1][1] * py + g[1][2]
            m = [max(m[0], -qx), max(m[1], -qy), max(m[2], qx), max(m[3], qy)]
    pad = [int(math.ceil(min(max(m[k] + FILTER_PAD * 2 - (cx if k % 2 == 0 else cy), 0), (w if k % 2 == 0 else h) - 1)))
           for k in range(4)]
    mx0, my0, mx1, my1 = pad
    x = F.pad(images, [mx0, mx1, my0, my1], mode="reflect") if any(pad) else images
    k = len(SYM6)
    x = upfirdn2d(x, SYM6, 2, 1, (k + 1) // 2, (k - 2) // 2, False, 4)
    out_h, out_w = (h + FILTER_PAD * 2) * 2, (w + FILTER_PAD * 2) * 2
    theta = []
    for gi in g_inv:
        g = matmul(t2((mx0 - mx1) / 2, (my0 - my1) / 2), gi)
        g = matmul(matmul(s2(2, 2), g), s2(0.5, 0.5))
        g = matmul(matmul(t2(-0.5, -0.5), g), t2(0.5, 0.5))
        g = matmul(matmul(s2(2 / x.shape[3], 2 / x.shape[2]), g), s2(out_w / 2, out_h / 2))
        theta.append(g[:2])
    grid = F.affine_grid(torch.tensor(theta, dtype=images.dtype), [n, c, out_h, out_w], align_corners=False)
    x = bilinear(x, grid)
    return upfirdn2d(x, SYM6, 1, 2, -FILTER_PAD * 2 + (k - 1) // 2, -FILTER_PAD * 2 + (k - 2) // 2, True, 1)


class AugmentPipe:
    """All 'bgc' augmentations at multiplier 1, each applied to an image with probability p."""

    def __init__(self, p, seed=0):
        self.p, self.rng = p, random.Random(seed)

    def gated(self, acc, prob, make, left):
        for b in range(len(acc)):
            on, m = self.rng.random() < prob, make()
            if on:
                acc[b] = matmul(m, acc[b]) if left else matmul(acc[b], m)

    def __call__(self, images):
        n, _, h, w = images.shape
        u, z, p = self.rng.random, self.rng.gauss, self.p
        p_rot = 1 - math.sqrt(min(max(1 - p, 0), 1))  # pre- and post-rotation, so that P(either) = p
        g = [eye(3) for _ in range(n)]
        self.gated(g, p, lambda: s2(1 - 2 * math.floor(u() * 2), 1), False)
        self.gated(g, p, lambda: r2_quarter(int(u() * 4)), False)
        self.gated(g, p, lambda: t2(-round((u() * 2 - 1) * XINT * w), -round((u() * 2 - 1) * XINT * h)), False)
        self.gated(g, p, lambda: (lambda s: s2(1 / s, 1 / s))(2 ** (z(0, 1) * SCALE)), False)
        self.gated(g, p_rot, lambda: r2((u() * 2 - 1) * math.pi * ROTATE), False)
        self.gated(g, p, lambda: (lambda s: s2(1 / s, s))(2 ** (z(0, 1) * ANISO)), False)
        self.gated(g, p_rot, lambda: r2((u() * 2 - 1) * math.pi * ROTATE), False)
        self.gated(g, p, lambda: t2(-z(0, 1) * XFRAC * w, -z(0, 1) * XFRAC * h), False)
        x = images if all(gi == eye(3) for gi in g) else warp(images, g)
        c = [eye(4) for _ in range(n)]
        self.gated(c, p, lambda: t3(z(0, 1) * BRIGHT), True)
        self.gated(c, p, lambda: s3(2 ** (z(0, 1) * CONTRAST)), True)
        self.gated(c, p, lambda: eye(4) if u() < 0.5 else luma_flip(), True)
        self.gated(c, p, lambda: r3((u() * 2 - 1) * math.pi * HUE), True)
        self.gated(c, p, lambda: saturation(2 ** (z(0, 1) * SAT)), True)
        if all(ci == eye(4) for ci in c):
            return x
        lin = torch.tensor([[row[:3] for row in ci[:3]] for ci in c], dtype=x.dtype)
        off = torch.tensor([[[row[3]] for row in ci[:3]] for ci in c], dtype=x.dtype)
        return (torch.bmm(lin, x.reshape(n, 3, h * w)) + off).reshape(n, 3, h, w)
