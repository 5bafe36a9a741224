"""Benchmark GET /api/v1/works over HTTP, in-process, and the same bodies sent straight to ES.

    .venv/bin/python bench/search.py                      # reference data + synthetic 1M set
    .venv/bin/python bench/search.py --dataset synthetic --requests 200 --warmup 20
    .venv/bin/python bench/search.py --explain            # also break the API time down

Dataset "reference" is whatever index the REGISTRY_* settings point at (default: the demo's
instance/ database and the `registry-` prefix); it is skipped when that alias is empty.
Dataset "synthetic" is the alias `bench-works` made by bench/generate_works.py.
Every request goes to 127.0.0.1 only; every loop has a fixed number of iterations.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Rate limits would refuse a benchmark's burst of requests: off for the in-process app and the
# server this script starts (an explicit REGISTRY_RATE_LIMIT_ENABLED wins).
os.environ.setdefault("REGISTRY_RATE_LIMIT_ENABLED", "false")

from _common import (  # noqa: E402
    BENCH_PREFIX,
    ROOT,
    CpuMeter,
    Kind,
    Series,
    alias_count,
    build_mix,
    es_pids,
    machine_line,
    make_registry,
    percentile,
    process_tree,
    sample_documents,
    table,
)
from marshmallow import RAISE  # noqa: E402

from registry.api.args import WorkSearchArgs  # noqa: E402
from registry.api.works import blp as works_blp  # noqa: E402
from registry.app import create_app  # noqa: E402
from registry.context import Registry  # noqa: E402
from registry.search.management import alias_name  # noqa: E402
from registry.search.queries import build_work_search, encode_cursor, sort_key  # noqa: E402
from registry.services.search import cursor_secret, cursor_values  # noqa: E402

P99_TARGET_MS = 50.0
OVERHEAD_TARGET = 1.2
TARGET_WORKS = 1_000_000
MODES = ("http", "inproc", "direct")
MODE_TITLES = {
    "http": "API over HTTP (registry serve: Granian)",
    "inproc": "API in-process (Flask test client)",
    "direct": "Elasticsearch direct (same body, same client)",
}
PATH = "/api/v1/works"
DEFAULT_SERVE_CMD = "{python} -m registry serve --host 127.0.0.1 --port {port}"
SERVE_CMD = DEFAULT_SERVE_CMD
DEEP_OFFSETS = (10_000, 10_020, 10_500, 12_000, 15_000, 20_000)


class Target:
    """One way of sending a request: HTTP, the Flask test client, or the ES client."""

    def __init__(self, registry: Registry, port: int | None) -> None:
        self.registry = registry
        self.alias = alias_name(registry.index_prefix)
        self.app = create_app(registry=registry)
        self.client = self.app.test_client()
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.bodies: dict[str, dict[str, Any]] = {}

    def args(self, query: str) -> dict[str, Any]:
        """Parse a query string exactly as the view does (webargs + WorkSearchArgs)."""
        with self.app.test_request_context(f"{PATH}?{query}"):
            return works_blp.ARGUMENTS_PARSER.parse(
                WorkSearchArgs(), location="query", unknown=RAISE
            )

    def body(self, query: str) -> dict[str, Any]:
        """Return (and remember) the body build_work_search makes for a query string."""
        if query not in self.bodies:
            args = self.args(query)
            kind = f"works:{sort_key(args)}"
            cursor = args.get("cursor")
            after = cursor_values(self.registry.settings, cursor, kind) if cursor else None
            self.bodies[query] = build_work_search(args, after)
        return self.bodies[query]

    def http(self, query: str) -> float:
        """Send one request over a keep-alive HTTP connection; return ms."""
        start = time.perf_counter()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request("GET", f"{PATH}?{query}")
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                start = time.perf_counter()
        ms = (time.perf_counter() - start) * 1000
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status} for {query}: {data[:300]!r}")
        return ms

    def inproc(self, query: str) -> float:
        """Send one request through the Flask test client; return ms."""
        start = time.perf_counter()
        resp = self.client.get(f"{PATH}?{query}")
        data = resp.data
        ms = (time.perf_counter() - start) * 1000
        if resp.status_code != 200:
            raise RuntimeError(f"in-process {resp.status_code} for {query}: {data[:300]!r}")
        return ms

    def direct(self, query: str) -> tuple[float, int]:
        """Send the query's body straight to Elasticsearch; return (ms, took)."""
        body = self.body(query)
        start = time.perf_counter()
        result = self.registry.search.search(index=self.alias, **body)
        ms = (time.perf_counter() - start) * 1000
        return ms, int(result["took"])


# --- HTTP server ---------------------------------------------------------------------------


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(registry: Registry) -> tuple[subprocess.Popen, int]:
    """Start `registry serve` on a free loopback port for this registry's settings."""
    port = free_port()
    s = registry.settings
    env = {
        **os.environ,
        "REGISTRY_INDEX_PREFIX": s.index_prefix,
        "REGISTRY_ELASTICSEARCH_URL": s.elasticsearch_url,
        "REGISTRY_DATABASE_URL": s.database_url,
        "REGISTRY_INSTANCE_PATH": str(s.instance_path),
    }
    cmd = shlex.split(SERVE_CMD.format(python=shlex.quote(sys.executable), port=port))
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):  # up to 30 s
        if proc.poll() is not None:
            raise RuntimeError(f"registry serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", f"{PATH}?size=1&facets=false")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError("registry serve did not answer within 30 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server process this benchmark started."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- deep pagination -----------------------------------------------------------------------


def deep_page_kind(target: Target) -> Kind | None:
    """Return cursor pages at offsets beyond 10,000 of a broad filter, by title and by year."""
    es = target.registry.search
    top = es.search(
        index=target.alias,
        size=0,
        track_total_hits=True,
        aggs={"c": {"terms": {"field": "countries_of_origin", "size": 1}}},
    )
    buckets = top["aggregations"]["c"]["buckets"]
    bases: list[list[tuple[str, str]]] = []
    if buckets and buckets[0]["doc_count"] > DEEP_OFFSETS[-1]:
        bases = [[("country", buckets[0]["key"])]]
    bases = [b + [("sort", s)] for b in (bases or [[]]) for s in ("title", "-year")]
    variants: list[list[tuple[str, str]]] = []
    note = ""
    for base in bases:
        walk = base + [("facets", "false"), ("size", "100")]
        body = target.body(urlencode(walk))
        total = es.count(index=target.alias, query=body["query"])["count"]
        offsets = [o for o in DEEP_OFFSETS if o < total]
        if not offsets:
            offsets = sorted({max(total // 2, 1), max(total - 40, 1)})
            note = f" (only {total:,} results: pages at {', '.join(map(str, offsets))})"
        seen, after = 0, None
        for offset in offsets:
            while seen < offset:
                page = {
                    **body,
                    "size": min(100, offset - seen),
                    "track_total_hits": False,
                    "_source": False,
                }
                if after is not None:
                    page["search_after"] = after
                hits = es.search(index=target.alias, **page)["hits"]["hits"]
                if not hits:
                    break
                seen += len(hits)
                after = hits[-1]["sort"]
            if after is not None:
                secret = cursor_secret(target.registry.settings)
                cursor = encode_cursor(after, secret, f"works:{dict(base)['sort']}")
                variants.append(base + [("facets", "false"), ("cursor", cursor)])
    if not variants:
        return None
    what = f"cursor pages at offsets {DEEP_OFFSETS[0]:,}..{DEEP_OFFSETS[-1]:,}{note}"
    return Kind("deep_page", f"{bases[0][0][0]}=..., sort title/-year, {what}", variants)


# --- measuring -----------------------------------------------------------------------------


def run_kind(
    target: Target,
    kind: Kind,
    modes: tuple[str, ...],
    warmup: int,
    requests: int,
) -> dict[str, Series]:
    """Warm up, then time `requests` requests per mode, interleaving the modes."""
    queries = [urlencode(v) for v in kind.variants]
    calls = {"http": target.http, "inproc": target.inproc}
    if not kind.in_mix:  # the extras are slow and not judged: a fifth of the requests
        warmup, requests = min(warmup, 10), max(20, requests // 5)
    series = {m: Series() for m in modes}
    for i in range(warmup):
        q = queries[i % len(queries)]
        for m in modes:
            target.direct(q) if m == "direct" else calls[m](q)
    for i in range(requests):
        q = queries[(warmup + i) % len(queries)]  # all distinct when variants >= warmup+requests
        for j in range(len(modes)):
            m = modes[(i + j) % len(modes)]
            if m == "direct":
                ms, took = target.direct(q)
                series[m].extra.append(took)
            else:
                ms = calls[m](q)
            series[m].add(ms)
    return series


def run_concurrent(
    target: Target,
    kinds: list[Kind],
    mode: str,
    threads: int,
    total: int,
) -> tuple[float, list[float]]:
    """Send `total` mixed requests from `threads` threads; return (req/s, latencies ms)."""
    queries = [urlencode(v) for k in kinds if k.in_mix for v in k.variants]
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(n: int, offset: int) -> None:
        own = Target.__new__(Target)
        own.__dict__.update(target.__dict__)
        own.conn = None
        mine = []
        try:
            for i in range(n):
                q = queries[(offset + i * threads) % len(queries)]
                mine.append(own.http(q) if mode == "http" else own.direct(q)[0])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            if own.conn is not None:
                own.conn.close()
        with lock:
            latencies.extend(mine)

    per = total // threads
    pool = [threading.Thread(target=worker, args=(per, t)) for t in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return len(latencies) / elapsed, sorted(latencies)


# --- explaining ------------------------------------------------------------------------------


def explain(target: Target, kinds: list[Kind], reps: int) -> None:
    """Break the in-process API time down, and time body variants straight on ES.

    The parts are measured on the same request by wrapping, in this process only, what the
    search fast path calls: reading the query string, the argument schema's load, the service
    function, the ES client's search and the JSON serialiser.
    """
    import registry.api.fast_search as fast

    spans: dict[str, float] = {}

    def timed_wrapper(name: str, fn):  # noqa: ANN001, ANN202
        def wrapper(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spans[name] = spans.get(name, 0.0) + (time.perf_counter() - t) * 1000

        return wrapper

    es = target.registry.search

    class TimedSearch:
        """Delegate to the real client; time search() and keep ES's own "took"."""

        def __getattr__(self, name: str) -> Any:
            return getattr(es, name)

        def search(self, **kw: Any) -> Any:
            t = time.perf_counter()
            result = es.search(**kw)
            spans["es_wall"] = (time.perf_counter() - t) * 1000
            spans["es_took"] = float(result["took"])
            return result

    saved = (fast.query_pairs, fast.query_dict, fast.search_works, fast.dump_bytes)
    fast.query_pairs = timed_wrapper("parse", fast.query_pairs)
    fast.query_dict = timed_wrapper("parse", fast.query_dict)
    fast.WORK_SEARCH_ARGS.load = timed_wrapper("parse", fast.WORK_SEARCH_ARGS.load)
    fast.search_works = timed_wrapper("service", fast.search_works)
    fast.dump_bytes = timed_wrapper("serialise", fast.dump_bytes)
    target.registry.__dict__["search"] = TimedSearch()
    rows, body_rows = [], []
    try:
        for kind in kinds:
            queries = [urlencode(v) for v in kind.variants]
            parts: dict[str, list[float]] = {}
            variants: dict[str, list[float]] = {}
            for i in range(reps):
                q = queries[i % len(queries)]
                body = target.body(q)
                args = target.args(q)
                t = time.perf_counter()
                build_work_search(args)
                build = (time.perf_counter() - t) * 1000
                spans.clear()
                t = time.perf_counter()
                resp = target.client.get(f"{PATH}?{q}")
                total = (time.perf_counter() - t) * 1000
                one = {
                    "parse": spans["parse"],
                    "build": build,
                    "took": spans["es_took"],
                    "client": spans["es_wall"] - spans["es_took"],
                    "shape": spans["service"] - spans["es_wall"] - build,
                    "serialise": spans["serialise"],
                    "rest": total - spans["parse"] - spans["service"] - spans["serialise"],
                    "total": total,
                    "bytes": len(resp.data),
                }
                for k, v in one.items():
                    parts.setdefault(k, []).append(v)
                for name, change in (
                    ("as_is", {}),
                    ("tth_10k", {"track_total_hits": 10_000}),
                    ("no_aggs", {"aggs": None}),
                    ("tth_10k_no_aggs", {"track_total_hits": 10_000, "aggs": None}),
                    ("no_source", {"_source": False}),
                ):
                    b = {k: v for k, v in {**body, **change}.items() if v is not None}
                    t = time.perf_counter()
                    es.search(index=target.alias, **b)
                    variants.setdefault(name, []).append((time.perf_counter() - t) * 1000)
            p = {k: percentile(sorted(v), 50) for k, v in parts.items()}
            rows.append(
                [
                    kind.name,
                    p["parse"],
                    p["build"],
                    p["took"],
                    p["client"],
                    p["shape"],
                    p["serialise"],
                    p["rest"],
                    p["total"],
                    int(p["bytes"]),
                ]
            )
            v = {k: percentile(sorted(x), 50) for k, x in variants.items()}
            body_rows.append(
                [
                    kind.name,
                    v["as_is"],
                    v["tth_10k"],
                    v["no_aggs"],
                    v["tth_10k_no_aggs"],
                    v["no_source"],
                ]
            )
    finally:
        fast.query_pairs, fast.query_dict, fast.search_works, fast.dump_bytes = saved
        del fast.WORK_SEARCH_ARGS.load
        target.registry.__dict__["search"] = es
    floors = overhead_floors(target, reps)
    print(
        "\nfixed costs, p50 ms: "
        + ", ".join(f"{name} {value:.2f}" for name, value in floors.items())
    )
    print(
        f"\nwhere the in-process API time goes ({reps} requests per kind; p50 of each part, "
        "ms; took is ES's integer ms, so 'ES client' carries up to 1 ms of rounding):"
    )
    print(
        table(
            [
                "kind",
                "parse args",
                "build body",
                "ES took",
                "ES client",
                "shape",
                "serialise",
                "wsgi + test client",
                "in-proc total",
                "resp bytes",
            ],
            rows,
        )
    )
    print("\nthe same bodies straight to ES with one change (p50 ms, interleaved):")
    print(
        table(
            [
                "kind",
                "as built",
                "track_total_hits=10000",
                "no aggs",
                "10000 + no aggs",
                "_source false",
            ],
            body_rows,
        )
    )


def overhead_floors(target: Target, reps: int) -> dict[str, float]:
    """Time the cheapest request of each layer: HTTP and Flask on /healthz, the ES client."""
    es = target.registry.search
    out: dict[str, list[float]] = {
        "GET /healthz over HTTP": [],
        "GET /healthz in-process": [],
        "ES search match_none wall": [],
        "its took": [],
    }
    for _ in range(reps):
        if target.port:
            target.http("size=1&facets=false")  # make sure the keep-alive connection is open
            t = time.perf_counter()
            target.conn.request("GET", "/healthz")
            target.conn.getresponse().read()
            out["GET /healthz over HTTP"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        target.client.get("/healthz").get_data()
        out["GET /healthz in-process"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        r = es.search(index=target.alias, query={"match_none": {}}, size=0, track_total_hits=False)
        out["ES search match_none wall"].append((time.perf_counter() - t) * 1000)
        out["its took"].append(float(r["took"]))
    return {k: percentile(sorted(v), 50) for k, v in out.items() if v}


# --- reporting -----------------------------------------------------------------------------


def report(
    results: dict[str, dict[str, Series]],
    kinds: list[Kind],
    modes: tuple[str, ...],
    works: int,
    synthetic: bool,
    others: dict[str, float],
) -> dict[str, Any]:
    """Print the tables and the PASS/FAIL lines; return the figures."""
    mix = {m: Series() for m in modes}
    for kind in kinds:
        if kind.in_mix:
            for m in modes:
                mix[m].merge(results[kind.name][m])
    names = [k.name for k in kinds] + ["MIX (all above, pooled)"]
    figures: dict[str, Any] = {"works": works, "modes": {}}
    for m in modes:
        rows = []
        for kind in kinds:
            s = results[kind.name][m].summary()
            extra = results[kind.name][m].extra
            rows.append(
                [
                    kind.name + ("" if kind.in_mix else " *"),
                    s["n"],
                    s["p50"],
                    s["p95"],
                    s["p99"],
                    s["rps"],
                ]
                + ([percentile(sorted(extra), 50)] if m == "direct" else [])
            )
        s = mix[m].summary()
        rows.append(
            [names[-1], s["n"], s["p50"], s["p95"], s["p99"], s["rps"]]
            + ([percentile(sorted(mix[m].extra), 50)] if m == "direct" else [])
        )
        figures["modes"][m] = {
            r[0]: dict(zip(["n", "p50", "p95", "p99", "rps"], r[1:6], strict=True)) for r in rows
        }
        print(f"\n{MODE_TITLES[m]}:")
        print(
            table(
                ["kind", "n", "p50 ms", "p95 ms", "p99 ms", "req/s"]
                + (["ES took p50"] if m == "direct" else []),
                rows,
            )
        )
    if "direct" in modes:
        print("\noverhead at p50 (API / direct ES):")
        rows = []
        for kind in kinds + [None]:

            def get(m: str, k: Kind | None = kind) -> float:
                return (results[k.name][m] if k else mix[m]).summary()["p50"]

            busy = (
                others.get(kind.name, float("nan"))
                if kind
                else sum(others.values()) / max(len(others), 1)
            )
            rows.append(
                [kind.name if kind else names[-1]]
                + [get(m) / get("direct") for m in modes if m != "direct"]
                + [get(m) - get("direct") for m in modes if m != "direct"]
                + [busy]
            )
        apis = [m for m in modes if m != "direct"]
        print(
            table(
                ["kind"]
                + [f"{m}/direct" for m in apis]
                + [f"{m}-direct ms" for m in apis]
                + ["others' CPU %"],
                rows,
            )
        )
        print(
            "  others' CPU % = CPU used meanwhile by processes other than this benchmark, "
            "its server and Elasticsearch (100 = one of the cores)"
        )
    if any(not k.in_mix for k in kinds):
        print("  * outside the mix: not pooled into MIX nor judged by the targets")
    head = "http" if "http" in modes else modes[0]
    p99 = mix[head].summary()["p99"]
    at_scale = synthetic and works >= TARGET_WORKS
    scale = "" if at_scale else f" (info only: {works:,} works, the target is for 1M)"
    verdicts = {}
    verdict = "PASS" if p99 <= P99_TARGET_MS else "FAIL"
    slow = [
        k.name for k in kinds if k.in_mix and results[k.name][head].summary()["p99"] > P99_TARGET_MS
    ]
    print(
        f"\n{verdict}: API ({head}) p99 over the mix = {p99:.1f} ms <= {P99_TARGET_MS:.0f} ms"
        f"{scale}" + (f"; kinds over: {', '.join(slow)}" if slow else "")
    )
    verdicts["p99"] = verdict
    if "direct" in modes:
        ratio = mix[head].summary()["p50"] / mix["direct"].summary()["p50"]
        verdict = "PASS" if ratio <= OVERHEAD_TARGET else "FAIL"
        over = [
            k.name
            for k in kinds
            if k.in_mix
            and results[k.name][head].summary()["p50"]
            > OVERHEAD_TARGET * results[k.name]["direct"].summary()["p50"]
        ]
        print(
            f"{verdict}: API ({head}) overhead at p50 over the mix = {ratio:.2f}x "
            f"<= {OVERHEAD_TARGET}x direct ES{scale}"
            + (f"; kinds over: {', '.join(over)}" if over else "")
        )
        verdicts["overhead"] = verdict
    figures["verdicts"] = verdicts
    return figures


def index_line(registry: Registry) -> str:
    """Describe the index behind the alias: documents, size, segments."""
    es = registry.search
    alias = alias_name(registry.index_prefix)
    stats = es.indices.stats(index=alias, metric="docs,store,segments")
    out = []
    for name, s in stats["indices"].items():
        p = s["primaries"]
        out.append(
            f"{alias} -> {name}: {p['docs']['count']:,} Lucene docs, "
            f"{p['store']['size_in_bytes'] / 2**20:,.0f} MiB, "
            f"{p['segments']['count']} segments"
        )
    return "; ".join(out)


def bench_dataset(name: str, registry: Registry, opts: argparse.Namespace) -> dict | None:
    """Benchmark one dataset; return its figures, or None when skipped."""
    alias = alias_name(registry.index_prefix)
    try:
        works = alias_count(registry)
    except Exception as exc:  # noqa: BLE001
        print(f"\n== {name}: SKIPPED, cannot reach {registry.settings.elasticsearch_url}: {exc}")
        return None
    if works == 0:
        hint = (
            "import and index the reference data first (./scripts/run or `registry import` "
            "+ `registry index sync`), or point REGISTRY_INDEX_PREFIX / REGISTRY_DATABASE_URL "
            "at a registry that has it"
            if name == "reference"
            else "run bench/generate_works.py first"
        )
        print(f"\n== {name}: SKIPPED, alias {alias!r} is empty or missing; {hint}")
        return None
    modes = tuple(m for m in MODES if m in opts.modes.split(","))
    print(f"\n== {name}: {works:,} works in {alias}")
    print(f"   {index_line(registry)}")
    proc = port = None
    if "http" in modes:
        proc, port = start_server(registry)
    try:
        target = Target(registry, port)
        docs = sample_documents(registry.search, alias, opts.sample, opts.seed)
        kinds = build_mix(docs, opts.seed, opts.variants)
        deep = deep_page_kind(target)
        if deep:
            kinds.append(deep)
        kinds.append(
            Kind(
                "browse",
                "no parameters: all works by title (facets: API default)",
                [[("size", "20")]],
                in_mix=False,
            )
        )
        print(
            f"   {opts.warmup} warm-up + {opts.requests} timed requests per kind and mode, "
            f"modes interleaved; variants per kind: "
            + ", ".join(f"{k.name} {len(k.variants)}" for k in kinds)
        )
        for k in kinds:
            print(f"   - {k.name}: {k.what}; e.g. ?{urlencode(k.variants[0])[:110]}")
        results: dict[str, dict[str, Series]] = {}
        others: dict[str, float] = {}
        own = [proc.pid] if proc else []
        meter = CpuMeter(lambda: [*process_tree(own), *es_pids()])
        started = time.perf_counter()
        for kind in kinds:
            waited = ""
            if opts.quiet_wait:
                t0 = time.perf_counter()
                pct = meter.wait_quiet(opts.quiet_wait, opts.quiet_threshold)
                waited = f"; waited {time.perf_counter() - t0:.0f} s for quiet ({pct:.0f}%)"
            meter.begin()
            results[kind.name] = run_kind(target, kind, modes, opts.warmup, opts.requests)
            others[kind.name] = meter.others_pct()
            print(
                f"   ran {kind.name} ({time.perf_counter() - started:.0f} s; other processes "
                f"used {others[kind.name]:.0f}% of a core{waited})",
                flush=True,
            )
        figures = report(results, kinds, modes, works, name == "synthetic", others)
        figures["kinds"] = {
            k.name: {"what": k.what, "example": urlencode(k.variants[0]), "in_mix": k.in_mix}
            for k in kinds
        }
        if opts.concurrency:
            print(
                f"\nthroughput with {opts.concurrency} concurrent clients, "
                f"{opts.concurrent_requests} mixed requests each run:"
            )
            rows = []
            for m in ("http", "direct"):
                if m in modes:
                    rps, lat = run_concurrent(
                        target, kinds, m, opts.concurrency, opts.concurrent_requests
                    )
                    rows.append(
                        [
                            m,
                            len(lat),
                            percentile(lat, 50),
                            percentile(lat, 95),
                            percentile(lat, 99),
                            rps,
                        ]
                    )
            print(table(["mode", "n", "p50 ms", "p95 ms", "p99 ms", "req/s"], rows))
            figures["concurrent"] = rows
        if opts.explain:
            explain(target, [k for k in kinds], opts.explain_requests)
        return figures
    finally:
        if proc is not None:
            stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=("reference", "synthetic", "both"), default="both")
    parser.add_argument("--synthetic-prefix", default=BENCH_PREFIX)
    parser.add_argument("--warmup", type=int, default=50, help="warm-up requests per kind/mode")
    parser.add_argument("--requests", type=int, default=500, help="timed requests per kind/mode")
    parser.add_argument("--variants", type=int, default=50, help="parameter sets per kind")
    parser.add_argument("--sample", type=int, default=600, help="documents sampled for queries")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", default="http,inproc,direct")
    parser.add_argument("--concurrency", type=int, default=4, help="0 to skip the throughput run")
    parser.add_argument("--concurrent-requests", type=int, default=1000)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        help="before each kind wait up to this many seconds for other "
        "processes to go quiet (shared machines)",
    )
    parser.add_argument(
        "--quiet-threshold",
        type=float,
        default=20,
        help="'quiet' = others use less than this %% of one core",
    )
    parser.add_argument(
        "--serve-cmd",
        default=DEFAULT_SERVE_CMD,
        help="command serving the API for the HTTP mode ({python}, {port} are filled in); "
        'e.g. "{python} -m registry serve --dev --port {port}" for the development server',
    )
    parser.add_argument("--explain", action="store_true", help="break the API time down")
    parser.add_argument("--explain-requests", type=int, default=100)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    opts = parser.parse_args(argv)
    global SERVE_CMD
    SERVE_CMD = opts.serve_cmd
    MODE_TITLES["http"] = "API over HTTP: " + SERVE_CMD.format(python="python", port="PORT")

    print(f"search benchmark, {date.today().isoformat()}; machine: {machine_line()}")
    out: dict[str, Any] = {"date": date.today().isoformat(), "machine": machine_line()}
    if opts.dataset in ("reference", "both"):
        registry = make_registry()
        out["reference"] = bench_dataset("reference", registry, opts)
        registry.close()
    if opts.dataset in ("synthetic", "both"):
        registry = make_registry(opts.synthetic_prefix)
        out["synthetic"] = bench_dataset("synthetic", registry, opts)
        registry.close()
    if opts.json:
        opts.json.write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
