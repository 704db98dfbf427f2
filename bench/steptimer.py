"""Step timing and per-step memory rise for the Python bench scripts, as unitpath's StepTimer.

Each timed step runs with the process's resident-memory high-water mark (VmHWM) reset first
(writing "5" to /proc/self/clear_refs, Linux 4.0+), so VmHWM afterwards minus VmRSS at the
start is how far that step alone raised RSS; the largest rise over the timed steps is reported,
with the highest RSS seen during them.
Where /proc does not allow this (e.g. macOS) the rise is unknown and the suffix is left out.
"""
import statistics
import time


def _status_bytes(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int("".join(c for c in line if c.isdigit())) * 1024
    except (OSError, ValueError):
        return -1
    return -1


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rise_during(phase):
    """Runs phase() and returns how far RSS rose above its level at the start, in bytes (-1 unknown)."""
    before = _status_bytes("VmRSS:")
    reset = _reset_peak()
    phase()
    peak = _status_bytes("VmHWM:")
    return max(0, peak - before) if reset and before >= 0 and peak >= 0 else -1


class Result:
    def __init__(self, ms, rise_bytes, peak_bytes):
        self.median_ms = statistics.median(ms)
        self.min_ms = min(ms)
        self.max_ms = max(ms)
        self.iterations = len(ms)
        self.rise_bytes = rise_bytes
        self.peak_bytes = peak_bytes

    def line(self, images):
        """The tail every bench line shares with unitpath's StepTimer.Result.line."""
        memory = "" if self.rise_bytes < 0 else "  +%.0f MB RSS (peak %.2f GB)" % (
            self.rise_bytes / 1048576.0, self.peak_bytes / 1073741824.0)
        return "median %8.1f ms (min %.1f, max %.1f, %d iters)  %7.2f images/s%s" % (
            self.median_ms, self.min_ms, self.max_ms, self.iterations, images * 1000.0 / self.median_ms, memory)


def measure(step, warmup, iterations):
    """Untimed warm-up steps, then timed ones, each with its own RSS-rise measurement."""
    for _ in range(warmup):
        step()
    ms = []
    rise = -1
    peak = -1
    for _ in range(iterations):
        t = [0.0, 0.0]

        def timed():
            t[0] = time.perf_counter()
            step()
            t[1] = time.perf_counter()

        rise = max(rise, rise_during(timed))
        peak = max(peak, _status_bytes("VmHWM:"))
        ms.append((t[1] - t[0]) * 1000)
    return Result(ms, rise, peak)
