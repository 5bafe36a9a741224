"""Shared helpers of the search benchmarks: settings, query mix, timing, CPU accounting, tables."""

from __future__ import annotations

import contextlib
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
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
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


# --- the query mix ---------------------------------------------------------------------------

PERSON_ROLES = {"director", "producer", "screenwriter", "performer", "composer"}
SAMPLE_SOURCE = [
    "work_id",
    "titles",
    "contributors",
    "rights.holder_name",
    "licenses",
    "identifier_values",
    "countries_of_origin",
    "year",
    "work_type",
]


@dataclass
class Kind:
    """One kind of request of the mix and its parameter variants (query-string pairs)."""

    name: str
    what: str
    variants: list[list[tuple[str, str]]]
    in_mix: bool = True


def sample_documents(client, alias: str, n: int, seed: int) -> list[dict]:  # noqa: ANN001
    """Return n documents drawn at random (but reproducibly) from the alias."""
    result = client.search(
        index=alias,
        size=n,
        query={
            "function_score": {
                "query": {"match_all": {}},
                "random_score": {"seed": seed, "field": "_seq_no"},
            }
        },
        source=SAMPLE_SOURCE,
    )
    return [hit["_source"] for hit in result["hits"]["hits"]]


def unaccent(text: str) -> str:
    """Return text without accents (case kept): what a user with a plain keyboard types."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng, text: str) -> str | None:  # noqa: ANN001
    """Return text with one typo in a word of 5+ letters (never its first letter)."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return None
    i = rng.choice(candidates)
    w = words[i]
    pos = rng.randint(1, len(w) - 2)
    op = rng.choice(("swap", "drop", "replace", "double"))
    if op == "swap":
        w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2 :]
    elif op == "drop":
        w = w[:pos] + w[pos + 1 :]
    elif op == "replace":
        w = w[:pos] + rng.choice("aeiourstnl".replace(w[pos], "")) + w[pos + 1 :]
    else:
        w = w[:pos] + w[pos] + w[pos:]
    words[i] = w
    return " ".join(words)


def _casing(rng, text: str) -> str:  # noqa: ANN001
    """Return text as typed: lower case, title case or as is."""
    return rng.choice((text.lower(), text.title(), text))


def build_mix(docs: list[dict], seed: int, variants: int) -> list[Kind]:
    """Return the kinds of the mix with up to `variants` parameter sets each, from sample docs."""
    import random

    rng = random.Random(seed)
    kinds: dict[str, Kind] = {
        "title": Kind("title", "q=<a real title>, no accents, any case (facets: API default)", []),
        "title_typo": Kind("title_typo", "q=<a real title> with one typo, no accents", []),
        "person": Kind("person", "q=<a person credited on a work>, no accents", []),
        "company": Kind("company", "q=<a company credited/licensed>, no accents", []),
        "identifier": Kind("identifier", "q=<id> or identifier=<id>, loosely spelled", []),
        "filters": Kind("filters", "country + year range + work_type, facets=true", []),
        "filters_nofacets": Kind("filters_nofacets", "same filters, facets=false", []),
        "licence": Kind("licence", "media + territory + on + exclusive, facets=true", []),
        "licence_nofacets": Kind("licence_nofacets", "same licence filter, facets=false", []),
    }
    for doc in rng.sample(docs, len(docs)):
        titles = doc.get("titles") or []
        if titles and len(kinds["title"].variants) < variants:
            t = rng.choice(titles)["text"]
            kinds["title"].variants.append([("q", _casing(rng, unaccent(t)))])
        if titles and len(kinds["title_typo"].variants) < variants:
            t = typo(rng, unaccent(rng.choice(titles)["text"]).lower())
            if t:
                kinds["title_typo"].variants.append([("q", t)])
        people = [c for c in doc.get("contributors") or [] if c.get("role") in PERSON_ROLES]
        if people and len(kinds["person"].variants) < variants:
            name = unaccent(rng.choice(people)["name"])
            parts = name.split()
            if len(parts) > 2 and rng.random() < 0.3:
                name = f"{parts[0]} {parts[-1]}"
            kinds["person"].variants.append([("q", _casing(rng, name))])
        companies = [
            c["name"] for c in doc.get("contributors") or [] if c.get("role") not in PERSON_ROLES
        ]
        companies += [
            lic["licensee_name"] for lic in doc.get("licenses") or [] if lic.get("licensee_name")
        ]
        if companies and len(kinds["company"].variants) < variants:
            kinds["company"].variants.append([("q", _casing(rng, unaccent(rng.choice(companies))))])
        ids = doc.get("identifier_values") or []
        if ids and len(kinds["identifier"].variants) < variants:
            value = rng.choice(ids)
            spelled = value.lower() if value[:1] in "BE" and value[1:].isdigit() else value
            param = "q" if len(kinds["identifier"].variants) % 2 == 0 else "identifier"
            kinds["identifier"].variants.append([(param, spelled)])
        has_facts = doc.get("countries_of_origin") and doc.get("year") and doc.get("work_type")
        if has_facts and len(kinds["filters"].variants) < variants:
            year_from = doc["year"] - rng.randint(0, 5)
            params = [
                ("country", rng.choice(doc["countries_of_origin"])),
                ("year_from", str(year_from)),
                ("year_to", str(year_from + rng.randint(0, 10))),
                ("work_type", doc["work_type"]),
            ]
            kinds["filters"].variants.append([*params, ("facets", "true")])
            kinds["filters_nofacets"].variants.append([*params, ("facets", "false")])
        lics = [
            lic
            for lic in doc.get("licenses") or []
            if lic.get("media")
            and lic.get("territories")
            and lic.get("start")
            and lic.get("status") in ("active", "expired")
        ]
        if lics and len(kinds["licence"].variants) < variants:
            lic = rng.choice(lics)
            params = [
                ("media", rng.choice(lic["media"])),
                ("territory", rng.choice(lic["territories"])),
                ("on", _day_in(rng, lic["start"], lic.get("end"))),
            ]
            if lic.get("exclusive") is not None:
                params.append(("exclusive", "true" if lic["exclusive"] else "false"))
            kinds["licence"].variants.append([*params, ("facets", "true")])
            kinds["licence_nofacets"].variants.append([*params, ("facets", "false")])
    return [k for k in kinds.values() if k.variants]


def _day_in(rng, start: str, end: str | None) -> str:  # noqa: ANN001
    """Return an ISO day inside a licence window."""
    from datetime import date, timedelta

    first = date.fromisoformat(start[:10])
    last = date.fromisoformat(end[:10]) if end else first + timedelta(days=730)
    return (first + timedelta(days=rng.randint(0, max((last - first).days, 0)))).isoformat()


# --- CPU accounting on a shared machine ------------------------------------------------------

_BUSY_FIELDS = (0, 1, 2, 5, 6, 7)  # user nice system irq softirq steal
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _busy_seconds() -> float:
    """Return the CPU seconds every core has spent busy since boot."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return float("nan")
    return sum(int(fields[i]) for i in _BUSY_FIELDS) / _TICK


def _pid_seconds(pid: int) -> float:
    """Return the CPU seconds (user + system) a process has used, 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def es_pids() -> list[int]:
    """Return the pids of local Elasticsearch JVMs (to tell their CPU from other load)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"org.elasticsearch.bootstrap.Elasticsearch" in cmd:
                pids.append(int(entry.name))
    return pids


def process_tree(pids: list[int]) -> list[int]:
    """Return the pids and all their descendants (e.g. a server's worker processes)."""
    out, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        out.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in task.read_text().split())
    return out


class CpuMeter:
    """Tell how much CPU other processes took while a piece of the benchmark ran."""

    def __init__(self, own_pids: Callable[[], list[int]]) -> None:
        self.own_pids = own_pids
        self.start: tuple[float, float, dict[int, float]] = (0.0, 0.0, {})

    def _sample(self) -> tuple[float, float, dict[int, float]]:
        own = {p: _pid_seconds(p) for p in [os.getpid(), *self.own_pids()]}
        return time.perf_counter(), _busy_seconds(), own

    def begin(self) -> None:
        """Start a measurement."""
        self.start = self._sample()

    def others_pct(self) -> float:
        """Return the CPU % of one core used by processes other than ours since begin()."""
        wall, busy, own = self._sample()
        elapsed = wall - self.start[0]
        if elapsed <= 0:
            return float("nan")
        ours = sum(own[p] - t for p, t in self.start[2].items() if own.get(p))
        return max(0.0, (busy - self.start[1]) - ours) / elapsed * 100

    def wait_quiet(self, max_seconds: float, threshold_pct: float) -> float:
        """Wait (at most max_seconds) until others use < threshold % of a core; return it."""
        deadline = time.perf_counter() + max_seconds
        pct = float("nan")
        while True:
            self.begin()
            time.sleep(1.0)
            pct = self.others_pct()
            if pct < threshold_pct or time.perf_counter() >= deadline:
                return pct
