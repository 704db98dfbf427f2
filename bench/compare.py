#!/usr/bin/env python3
"""Runs unitpath's bench commands and their Python peers interleaved and prints a Markdown table.

For each round and each selected workload (backbone, generator, segmenter) it runs
`bin/unitpath --threads T bench <what> --device cpu ...` and then
`<python> bench/bench_<what>.py --threads T ...` with the same sizes, batch and iterations,
one after the other (J, P, J, P, ...), so slow drifts of the machine's load hit both sides alike.
Each process runs under `/usr/bin/time -f %M`, which gives its peak resident memory (whole
process: JVM or interpreter, libtorch, the networks, every step). The table holds, per timed
row, the median over rounds of each process's median ms, and per workload the median over
rounds of the process peak RSS; ratio = unitpath / Python, so below 1 means unitpath is faster
or smaller. Machine: CPU model, cores and the load average at start and end.
Usage: python3 bench/compare.py [--rounds 3] [--only generator,segmenter] [--threads 2]
       [--batch N] [--iters N] [--warmup N] [--sizes 256,64] [--size 256]
A failing process prints its stderr tail and the script exits non-zero.
This is a benchmark helper only; unitpath itself never runs Python.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["backbone", "generator", "segmenter"]
# the Java bench commands' defaults; passed explicitly so both sides always run the same sizes
DEFAULTS = {"backbone": {"batch": 2, "warmup": 3, "iters": 10, "size": 256},
            "generator": {"batch": 4, "warmup": 1, "iters": 5, "sizes": "256,64"},
            "segmenter": {"batch": 2, "warmup": 1, "iters": 5}}
ROW = re.compile(r"^(?P<name>.*?)\s+median\s+(?P<ms>[0-9.]+) ms \(")
SECTION = re.compile(r"bench generator: (\d+x\d+)")


def options(what, a):
    """The bench options for one workload: the Java defaults, overridden by what was given here."""
    opts = dict(DEFAULTS[what])
    for key in opts:
        given = getattr(a, key)
        if given is not None:
            opts[key] = given
    args = []
    for key, value in opts.items():
        args += ["--" + key, str(value)]
    return args


def run(cmd, label):
    """Runs cmd under /usr/bin/time; returns (stdout, peak RSS in bytes). Exits on failure."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seconds = time.monotonic() - t0
        peak = rss.read().strip().splitlines()
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-25:])
        sys.exit("compare: %s failed with exit code %d: %s\n--- stderr tail ---\n%s\n--- stdout tail ---\n%s"
                 % (label, p.returncode, " ".join(cmd), tail, "\n".join(p.stdout.strip().splitlines()[-10:])))
    print("  %-28s %7.1f s" % (label, seconds), file=sys.stderr, flush=True)
    kb = int(peak[-1]) if peak and peak[-1].isdigit() else -1
    return p.stdout, kb * 1024 if kb >= 0 else -1


def parse(what, out, label):
    """Timed rows as {name: median ms} and the header lines; a generator row is named by its size."""
    rows, headers, section = {}, [], ""
    for line in out.splitlines():
        m = SECTION.search(line)
        if m:
            section = m.group(1) + " "
        m = ROW.match(line)
        if m:
            name = " ".join(m.group("name").split())
            rows["%s %s%s" % (what, section, name)] = float(m.group("ms"))
        elif "bench " in line:
            headers.append(line.strip())
    if not rows:
        sys.exit("compare: %s printed no timed rows:\n%s" % (label, out))
    return rows, headers


def ratio(j, p):
    return "%.2f" % (j / p) if j is not None and p is not None and j > 0 and p > 0 else "–"


def fmt(v, scale, digits):
    return "–" if v is None or v < 0 else "%.*f" % (digits, v / scale)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def busy_warning(when):
    """Other work on the cores makes multi-threaded steps wait on descheduled threads: say so."""
    one_minute = os.getloadavg()[0]
    if one_minute > 0.5 * os.cpu_count():
        return "WARNING: load average %.2f on %d cores %s: other processes compete, timings are unreliable" % (
            one_minute, os.cpu_count(), when)
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated: backbone, generator, segmenter")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch", type=int)
    p.add_argument("--iters", type=int)
    p.add_argument("--warmup", type=int)
    p.add_argument("--sizes", help="generator: 256 and/or 64")
    p.add_argument("--size", type=int, help="backbone: image side")
    p.add_argument("--java", default=os.path.join(ROOT, "bin", "unitpath"))
    p.add_argument("--python", default=sys.executable, help="the interpreter with torch and torchvision")
    a = p.parse_args()
    only = [w.strip() for w in a.only.split(",") if w.strip()]
    if a.rounds < 1 or not only or any(w not in WORKLOADS for w in only):
        p.error("need --rounds >= 1 and --only from " + ",".join(WORKLOADS))
    start_load, warnings = load(), [busy_warning("at start")]
    ms = {"java": {}, "python": {}}
    peaks = {(side, w): [] for side in ms for w in only}
    headers = {}
    for r in range(1, a.rounds + 1):
        print("round %d/%d" % (r, a.rounds), file=sys.stderr, flush=True)
        for what in only:
            args = options(what, a)
            script = os.path.join("bench", "bench_%s.py" % what)
            cmds = {"java": [a.java, "--threads", str(a.threads), "bench", what, "--device", "cpu"] + args,
                    "python": [a.python, script, "--threads", str(a.threads)] + args}
            for side, cmd in cmds.items():
                label = "%s %s" % ("unitpath" if side == "java" else "python", what)
                out, peak = run(cmd, label)
                rows, head = parse(what, out, label)
                headers.setdefault((side, what), head)
                for name, v in rows.items():
                    ms[side].setdefault(name, []).append(v)
                peaks[(side, what)].append(peak)
    end_load = load()
    warnings.append(busy_warning("at end"))

    print("Machine: %s, %d cores; load average (1, 5, 15 min) %s at start, %s at end; %d threads, %d round%s"
          % (cpu_model(), os.cpu_count(), start_load, end_load, a.threads, a.rounds, "" if a.rounds == 1 else "s"))
    for w in filter(None, warnings):
        print(w)
    print()
    for key in sorted(headers):
        for h in headers[key]:
            print("    " + h)
    print()
    print("| workload | unitpath (median of rounds, ms) | Python (ms) | ratio |")
    print("|---|---:|---:|---:|")
    names = list(ms["java"]) + [n for n in ms["python"] if n not in ms["java"]]
    for name in names:
        j = statistics.median(ms["java"][name]) if name in ms["java"] else None
        py = statistics.median(ms["python"][name]) if name in ms["python"] else None
        print("| %s | %s | %s | %s |" % (name, fmt(j, 1, 1), fmt(py, 1, 1), ratio(j, py)))
    for what in only:
        j, py = (statistics.median([v for v in peaks[(side, what)] if v >= 0] or [-1]) for side in ("java", "python"))
        print("| peak RSS, bench %s process (GB) | %s | %s | %s |"
              % (what, fmt(j, 1 << 30, 2), fmt(py, 1 << 30, 2), ratio(j, py)))
    print()
    print("ratio = unitpath / Python: below 1, unitpath is faster (or uses less memory).")


if __name__ == "__main__":
    main()
