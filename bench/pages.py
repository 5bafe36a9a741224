"""Server time of the web pages (search and work) and their sizes.

    .venv/bin/python bench/generate_works.py                 # once: the 1,000,000-work index
    .venv/bin/python bench/pages.py                          # bench-works; 20,000 works in SQL
    .venv/bin/python bench/pages.py --db-works 5000 --requests 100 --prefix bench-small-

The search page runs over the synthetic index that generate_works.py builds (its size is
printed); the work, availability and party pages read the database, which this script fills
once with the first --db-works works of the same generator, written through the exchange
importer (the public write path) into a SQLite file under --instance (or REGISTRY_DATABASE_URL).
Server time is measured around the WSGI application in this process (Flask's test client), so
it includes rendering and translation but no network; each figure is the p50/p95/p99 of
--requests requests per kind after a warm-up. Page sizes are the HTML bodies (no images exist).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_works  # noqa: E402
from _common import (  # noqa: E402
    BENCH_PREFIX,
    Series,
    alias_count,
    build_mix,
    machine_line,
    sample_documents,
    table,
    timed,
)

from registry.app import create_app  # noqa: E402
from registry.context import Registry  # noqa: E402
from registry.search import management  # noqa: E402

PAGE_LIMIT = 200 * 1024
PERSON_ROLES = {"director", "producer", "screenwriter", "performer", "composer"}
WARM_UP = 5
MAX_LISTED_COUNTRIES = 60


def _party(name: str, role: str | None = None) -> dict[str, str]:
    """Return a party of the exchange format from a generated name."""
    kind = "person" if role in PERSON_ROLES else "organization"
    return {"kind": kind, "name": name}


def _territories(codes: list[str]) -> list[str]:
    """Return a long country list as WORLD (its expression would pass the schema's length cap)."""
    return ["WORLD"] if len(codes) > MAX_LISTED_COUNTRIES else codes


def exchange_line(doc: dict[str, Any]) -> str:
    """Turn a generated index document back into an exchange-format line."""
    identifiers = []
    for text in doc.get("identifiers") or []:
        if text.startswith("proprietary:"):
            _, namespace, value = text.split(":", 2)
            identifiers.append({"scheme": f"proprietary:{namespace}", "value": value})
        else:
            scheme, value = text.split(":", 1)
            identifiers.append({"scheme": scheme, "value": value})
    work = {
        "work_type": doc["work_type"],
        "year": doc["year"],
        "runtime_minutes": doc["runtime_minutes"],
        "countries_of_origin": doc["countries_of_origin"],
        "original_languages": doc["original_languages"],
        "titles": [
            {k: t[k] for k in ("text", "language", "kind", "territory") if t.get(k)}
            for t in doc["titles"]
        ],
        "identifiers": identifiers,
        "contributions": [
            {"party": _party(c["name"], c["role"]), "role": c["role"]} for c in doc["contributors"]
        ],
        "rights": [
            {
                "holder": _party(r["holder_name"]),
                "right_type": r["right_type"],
                "share_pct": r["share_pct"],
                "territories": _territories(r["territories"]),
            }
            for r in doc["rights"]
        ],
        "licenses": [
            {
                **({"licensor": _party(lic["licensor_name"])} if lic.get("licensor_name") else {}),
                "licensee": _party(lic["licensee_name"]),
                "media": lic["media"],
                "territories": _territories(lic["territories"]),
                "languages": lic["languages"],
                "start": lic["start"],
                "end": lic["end"],
                "exclusive": lic["exclusive"],
                "status": lic["status"],
            }
            for lic in doc["licenses"]
        ],
    }
    line = {"format": "av-registry-exchange/1", "key": f"bench-{doc['work_id']}", "work": work}
    return json.dumps(line, ensure_ascii=False)


def fill_database(registry: Registry, works: int, seed: int) -> int:
    """Import the first `works` generated works once; return how many works the database holds."""
    from sqlalchemy import func, select

    from registry.models import Work
    from registry.services.imports import run_import

    with registry.sessions() as session:
        held = session.scalar(select(func.count()).select_from(Work)) or 0
    if held >= works:
        return held
    generate_works._init_worker(seed)
    lines = []
    for chunk, first, last in generate_works._tasks(works):
        rng = random.Random(seed * 1_000_003 + chunk)
        lines += [
            exchange_line(generate_works.make_work(i, rng, generate_works._PARTIES))
            for i in range(first, last)
        ]
    path = Path(tempfile.mkdtemp(prefix="pages-bench-")) / "works.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elapsed, report = timed(lambda: run_import(registry, path, "exchange-jsonl"))
    print(
        f"database: imported {report.counts['read']:,} records in {elapsed / 1000:.1f} s "
        f"({report.counts['rejected']:,} rejected)"
    )
    with registry.sessions() as session:
        return session.scalar(select(func.count()).select_from(Work)) or 0


def measure(client, urls: list[str], requests: int) -> tuple[Series, int]:  # noqa: ANN001
    """Request the URLs round-robin; return the latencies and the largest body in bytes."""
    series, largest = Series(), 0
    for url in urls[:WARM_UP]:
        client.get(url)
    for n in range(requests):
        url = urls[n % len(urls)]
        ms, response = timed(lambda url=url: client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        series.add(ms)
        largest = max(largest, len(response.data))
    return series, largest


def service_series(registry: Registry, urls: list[str], requests: int) -> Series:
    """Time the search service alone on the search page's queries (what the page adds shows)."""
    from urllib.parse import parse_qsl, urlsplit

    from werkzeug.datastructures import MultiDict

    from registry.services.search import search_works
    from registry.web.forms import WORK_SEARCH_FORM, parse

    queries = []
    for url in urls:
        params = parse(WORK_SEARCH_FORM, MultiDict(parse_qsl(urlsplit(url).query)))
        params.pop("page")
        queries.append({**params, "facets": True})
    series = Series()
    for query in queries[:WARM_UP]:
        search_works(registry, query)
    for n in range(requests):
        query = queries[n % len(queries)]
        series.add(timed(lambda query=query: search_works(registry, query))[0])
    return series


def search_urls(registry: Registry, seed: int, variants: int) -> list[str]:
    """Return search page URLs from the benchmark's query mix (text, typos, people, filters)."""
    from urllib.parse import urlencode

    docs = sample_documents(
        registry.search, management.alias_name(registry.index_prefix), 400, seed
    )
    urls = ["/search", "/"]
    for kind in build_mix(docs, seed, variants):
        for params in kind.variants:
            urls.append("/search?" + urlencode([(k, v) for k, v in params if k != "facets"]))
    random.Random(seed).shuffle(urls)
    return urls


def main(argv: list[str] | None = None) -> int:
    """Measure the pages and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prefix", default=BENCH_PREFIX, help="index prefix of generate_works.py")
    parser.add_argument("--db-works", type=int, default=20_000, help="works in the database")
    parser.add_argument("--instance", default="/tmp/registry-pages-bench", help="SQLite folder")
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind")
    parser.add_argument("--seed", type=int, default=20260601)
    args = parser.parse_args(argv)

    import os

    database = os.environ.get("REGISTRY_DATABASE_URL") or (
        f"sqlite:///{Path(args.instance) / 'registry.sqlite3'}"
    )
    registry = Registry.from_settings(
        {"index_prefix": args.prefix, "database_url": database, "rate_limit_enabled": False}
    )
    indexed = alias_count(registry)
    if not indexed:
        raise SystemExit(f"no index behind {args.prefix}works: run bench/generate_works.py first")
    from registry.migrate import upgrade

    upgrade(registry)
    held = fill_database(registry, args.db_works, args.seed)
    print(machine_line())
    print(
        f"search index: {indexed:,} works ({args.prefix}works); database: {held:,} works "
        f"({registry.engine.dialect.name})"
    )

    client = create_app(registry=registry).test_client()
    rng = random.Random(args.seed)
    work_ids = [rng.randint(1, held) for _ in range(50)]
    kinds = {
        "search page (facets, 20 results)": search_urls(registry, args.seed, 20),
        "work page": [f"/works/{i}" for i in work_ids],
        "availability page": [
            f"/works/{i}/availability?territory=BR&media=svod&on=2026-06-01" for i in work_ids
        ],
        "work page, Spanish": [f"/works/{i}?lang=es" for i in work_ids],
    }
    rows = []
    service = service_series(registry, kinds["search page (facets, 20 results)"], args.requests)
    s = service.summary()
    rows.append(
        [
            "  the search service alone, same queries",
            s["n"],
            s["p50"],
            s["p95"],
            s["p99"],
            float("nan"),
            "",
        ]
    )
    for name, urls in kinds.items():
        series, largest = measure(client, urls, args.requests)
        s = series.summary()
        rows.append(
            [
                name,
                s["n"],
                s["p50"],
                s["p95"],
                s["p99"],
                largest / 1024,
                "yes" if largest < PAGE_LIMIT else "NO",
            ]
        )
    print(table(["page", "n", "p50 ms", "p95 ms", "p99 ms", "largest KB", "< 200 KB"], rows))
    registry.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
