"""Render docs/schema.md and docs/schema.json from the schemas and vocabularies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.aggregate import WORK_AGGREGATE
from schemas.field_docs import describe
from schemas.openapi import aggregate_components
from schemas.vocab import vocabulary_tables

ORDER = [
    "WorkAggregate",
    "Title",
    "Identifier",
    "PartyRef",
    "Contribution",
    "RightsHolding",
    "License",
    "CoProduction",
]
INTRO = """# The shared metadata schema

Every importer produces, the database stores, the API returns and the exchange format carries
one shape: the **work aggregate**, a work with every fact one source states about it. This page
is generated from the marshmallow schemas in `schemas/` by
`python -m schemas.docs` (a test fails when it is out of date); the same definitions give the
OpenAPI components at `/api/v1/openapi.json` and the JSON Schema in `docs/schema.json`.

Loading (`WORK_AGGREGATE.load`) validates and normalises: identifiers to their canonical
spelling after their check characters are verified, country names to ISO codes, region names to
explicit country lists, language tags to BCP 47. Unknown fields and unknown vocabulary values are
errors with the field path (`licenses.0.territories: 'JJ' is not ...`), never coerced.
Dumping gives the canonical form; `dump(load(x))` is stable.

Each fact is stored with the source record that stated it (agency, format, key, import batch):
agencies can disagree, and the registry shows every claim with its source.
"""


def _type_of(prop: dict[str, Any]) -> str:
    """Describe a JSON Schema property's type briefly."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return (
            " or ".join(_type_of(p) for p in prop["anyOf"] if p.get("type") != "object") or "object"
        )
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    if prop.get("format"):
        kind = f"{kind} ({prop['format']})"
    return kind + (" or null" if prop.get("nullable") else "")


def _schema_section(name: str, component: dict[str, Any]) -> list[str]:
    """Render one schema as a table of fields."""
    required = set(component.get("required", []))
    lines = [
        f"## {name}",
        "",
        "| field | type | required | meaning | values |",
        "|---|---|---|---|---|",
    ]
    for field, prop in component["properties"].items():
        enum = prop.get("enum") or prop.get("items", {}).get("enum") or []
        values = ", ".join(f"`{v}`" for v in enum)
        lines.append(
            f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else ''} | "
            f"{describe(name, field) or ''} | {values} |"
        )
    return [*lines, ""]


def _table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> list[str]:
    """Render a list of dicts as a Markdown table."""
    if not rows:
        return ["(empty)", ""]
    columns = columns or list(rows[0])
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [str(row.get(c, "")).replace("|", "\\|") for c in columns]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def render_markdown(example: dict[str, Any]) -> str:
    """Return the whole of docs/schema.md."""
    components = aggregate_components()
    lines = [INTRO]
    for name in ORDER:
        lines += _schema_section(name, components[name])
    tables = vocabulary_tables()
    lines += ["# Vocabularies", ""]
    for name in (
        "work_types",
        "roles",
        "right_types",
        "title_kinds",
        "license_statuses",
        "coproduction_roles",
        "party_kinds",
        "identifier_schemes",
        "media",
        "regions",
    ):
        lines += [f"## {name.replace('_', ' ')}", "", *_table(tables[name])]
    lines += [
        "# Aliases",
        "",
        "Values that sources write and the registry maps, one table for all of them.",
        "",
    ]
    alias_rows = []
    for table in ("media_aliases", "work_type_aliases", "country_aliases"):
        for row in tables[table]:
            alias_rows.append(
                {
                    "vocabulary": table.removesuffix("_aliases"),
                    "written as": row.get("alias") or row.get("name", ""),
                    "maps to": row.get("media") or row.get("work_type") or row.get("code", ""),
                    "source": row.get("source") or row.get("language", ""),
                    "note": row.get("note", ""),
                }
            )
    lines += _table(alias_rows)
    lines += [
        "Country names in Portuguese, Spanish and English, and ISO alpha-3 codes, are also "
        f"accepted for every one of the {len(tables['countries'])} countries (CLDR names).",
        "",
        "# A complete example",
        "",
        "Input (as an importer or an agency sends it):",
        "",
        "```json",
        json.dumps(example, indent=2, ensure_ascii=False),
        "```",
        "",
        "Canonical form after `load` and `dump`:",
        "",
        "```json",
        json.dumps(
            WORK_AGGREGATE.dump(WORK_AGGREGATE.load(example)),
            indent=2,
            ensure_ascii=False,
            default=str,
        ),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_docs(root: Path) -> list[Path]:
    """Write docs/schema.md and docs/schema.json under root; return the paths."""
    example = json.loads((root / "tests/data/aggregates/complete.json").read_text("utf-8"))
    md = root / "docs" / "schema.md"
    js = root / "docs" / "schema.json"
    md.parent.mkdir(exist_ok=True)
    md.write_text(render_markdown(example), encoding="utf-8")
    js.write_text(
        json.dumps(aggregate_components(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return [md, js]


if __name__ == "__main__":
    for path in write_docs(Path(__file__).resolve().parents[1]):
        print(f"wrote {path}")
