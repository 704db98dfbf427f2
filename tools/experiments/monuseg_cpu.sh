#!/usr/bin/env bash
# The CPU-sized experiment of README "The paper's experiment on a CPU (MoNuSeg)", end to end.
# Every step resumes: rerun this script after an interruption and it continues where it stopped.
#   tools/experiments/monuseg_cpu.sh PATH/TO/monuseg-train13
set -euo pipefail
src="${1:?usage: $0 MONUSEG_DIR (images/ + annotations/, or the MoNuSeg zip layout Tissue Images/ + Annotations/)}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
u=bin/unitpath
test_split=TCGA-21-5786-01Z-00-DX1,TCGA-AR-A1AK-01Z-00-DX1,TCGA-B0-5710-01Z-00-DX1

[[ -f datasets/monuseg-train/annotations.json ]] || $u import monuseg "$src" --out datasets/monuseg-train --exclude "$test_split"
[[ -f datasets/monuseg-test/annotations.json ]] || $u import monuseg "$src" --out datasets/monuseg-test --include "$test_split"
$u masks --out datasets/pretrain-cpu/masks --magnification 40 --tile 64 --count 4096
$u tiles --out datasets/pretrain-cpu/monuseg_ --magnification 40 --tile 64 datasets/monuseg-train/images
[[ -f output/pretrain-cpu/S.pt ]] || $u pretrain pretrain-cpu --resume
[[ -f demo-run/output/S.pt ]] || $u demo --resume
$u compare monuseg-cpu --seeds 3 --init proposed=output/pretrain-cpu/S.pt --init random= \
    --init demo=demo-run/output/S.pt OUTPUT_DIR output/seg/monuseg-cpu-compare \
    DATASETS.TEST_JSON datasets/monuseg-test/annotations.json DATASETS.TEST_IMAGES datasets/monuseg-test/images
