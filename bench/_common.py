"""Shared helpers of the search benchmarks: settings, timing, percentiles and tables."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from registry.context import Registry  # noqa: E402
from registry.search import management  # noqa: E402

BENCH_PREFIX = "bench-"


def make_registry(prefix: str | None = None, database_url: str | None = None) -> Registry:
    """Return a registry context from REGISTRY_* settings, with an optional prefix override."""
    overrides: dict[str, object] = {}
    if prefix is not None:
        overrides["index_prefix"] = prefix
    if database_url is not None:
        overrides["database_url"] = database_url
    return Registry.from_settings(overrides)


def alias_count(registry: Registry) -> int:
    """Return how many documents the works alias holds (0 when it does not exist)."""
    alias = management.alias_name(registry.index_prefix)
    if not management.current_indices(registry.search, alias):
        return 0
    return int(registry.search.count(index=alias)["count"])


def machine_line() -> str:
    """Describe the machine in one line (CPU model, cores, memory, Python, ES version)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Return the nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * pct // 100))  # ceil(n * pct / 100)
    return sorted_values[int(rank) - 1]


@dataclass
class Series:
    """Latencies (ms) of one kind of request in one mode."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0  # wall seconds spent in these requests
    extra: list[float] = field(default_factory=list)  # e.g. Elasticsearch "took"

    def add(self, ms: float) -> None:
        """Record one latency in milliseconds."""
        self.latencies.append(ms)
        self.elapsed += ms / 1000

    def merge(self, other: Series) -> None:
        """Add another series' samples to this one."""
        self.latencies.extend(other.latencies)
        self.elapsed += other.elapsed
        self.extra.extend(other.extra)

    def summary(self) -> dict[str, float]:
        """Return n, p50, p95, p99 (ms) and sequential requests per second."""
        values = sorted(self.latencies)
        return {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "rps": len(values) / self.elapsed if self.elapsed else float("nan"),
        }


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Call fn; return (elapsed ms, its result)."""
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as a fixed-width text table (right-aligned numbers)."""
    rendered = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rendered:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(
        zip(headers, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rendered:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def _cell(value: object) -> str:
    """Format one table cell."""
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.1f}" if value >= 100 else f"{value:.2f}"
    return str(value)
