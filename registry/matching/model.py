"""The Fellegi-Sunter model: comparisons, blocking, EM training and the versioned JSON file."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from registry.errors import RegistryError
from registry.matching.rules import EXCLUSIVE_SCHEMES

MODEL_PATH = Path(__file__).parent / "model.json"
FORMAT = 1
AUTO_LINK = -4.0
MARGIN = 1.0
REVIEW = -8.0
# m of same countries, overlap, none in common. Fixed: agencies list a co-production's countries
# differently (ACAU its own, ANCINE Brazil first) and most works are Brazilian, so EM over the
# registry's data drifts to counting disagreement as evidence for a match. These are the values
# EM gave on the reference data in a fit where the countries behaved (see docs/matching.md).
COUNTRIES_M = (0.8725, 0.0098, 0.1177)


class ModelUnavailable(RegistryError):
    """The linkage model file is missing or does not load."""

    code = "model_unavailable"
    status = 503


def _best(left: str, right: str) -> str:
    """Return SQL for the best Jaro-Winkler similarity between any two items of two lists."""
    return (
        f"list_max(list_transform({left}, lambda x: list_max(list_transform({right}, "
        "lambda y: jaro_winkler_similarity(x, y)))))"
    )


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    """Return one comparison level as Splink settings."""
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _fixed_m(m: float) -> dict[str, Any]:
    """Return the settings of a level whose m is fixed and whose u is still estimated."""
    return {"m_probability": m, "fix_m_probability": True}


def _null(left: str, right: str) -> dict[str, Any]:
    """Return the null level of a comparison of two columns."""
    return _level(f"{left} IS NULL OR {right} IS NULL", "missing", is_null_level=True)


def _since(use: str, registered: str) -> str:
    """Return SQL for the years between one side's registration and the other's first use."""
    return f"({use} - {registered})"


def _since_between(low: int, high: int) -> str:
    """Return SQL true when one side was in use low to high years after the other was registered."""
    return (
        f"{_since('first_use_l', 'registered_r')} BETWEEN {low} AND {high} "
        f"OR {_since('first_use_r', 'registered_l')} BETWEEN {low} AND {high}"
    )


def comparisons() -> list[dict[str, Any]]:
    """Return the comparisons of the model, in DuckDB SQL."""
    title_sim = _best("titles_l", "titles_r")
    same_numbers = "numbers_l = numbers_r"
    director_sim = _best("directors_l", "directors_r")
    ids = [f"id_{s}" for s in EXCLUSIVE_SCHEMES]
    any_null = " AND ".join(f"({c}_l IS NULL OR {c}_r IS NULL)" for c in ids)
    same = " OR ".join(f"{c}_l = {c}_r" for c in ids)
    return [
        {
            "output_column_name": "title",
            "comparison_description": "folded titles of every language and kind",
            "comparison_levels": [
                _null("titles_l", "titles_r"),
                _level("len(list_intersect(titles_l, titles_r)) > 0", "a title in common"),
                _level(f"{title_sim} >= 0.95 AND {same_numbers}", "Jaro-Winkler >= 0.95"),
                _level(f"{title_sim} >= 0.88 AND {same_numbers}", "Jaro-Winkler >= 0.88"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "year",
            "comparison_description": "year of production",
            "comparison_levels": [
                _null("year_l", "year_r"),
                _level("year_l = year_r", "same year"),
                _level("abs(year_l - year_r) <= 1", "one year apart"),
                _level("abs(year_l - year_r) <= 2", "two years apart"),
                _level("ELSE", "further apart"),
            ],
        },
        {
            "output_column_name": "directors",
            "comparison_description": "directors' folded names, word order free",
            "comparison_levels": [
                _null("directors_l", "directors_r"),
                _level("list_has_any(directors_l, directors_r)", "a director in common"),
                _level(f"{director_sim} >= 0.92", "similar director names"),
                _level("ELSE", "different directors"),
            ],
        },
        {
            "output_column_name": "countries",
            "comparison_description": "countries of origin",
            "comparison_levels": [
                _null("countries_l", "countries_r"),
                _level(
                    "list_sort(countries_l) = list_sort(countries_r)",
                    "same countries",
                    **_fixed_m(COUNTRIES_M[0]),
                ),
                _level(
                    "list_has_any(countries_l, countries_r)",
                    "countries overlap",
                    **_fixed_m(COUNTRIES_M[1]),
                ),
                _level("ELSE", "no country in common", **_fixed_m(COUNTRIES_M[2])),
            ],
        },
        {
            "output_column_name": "work_type",
            "comparison_description": "kind of work: movie, short, series, episode",
            "comparison_levels": [
                _null("type_family_l", "type_family_r"),
                _level("work_type_l = work_type_r", "same kind"),
                _level("type_family_l = type_family_r", "compatible kinds"),
                _level("ELSE", "incompatible kinds"),
            ],
        },
        {
            "output_column_name": "runtime",
            "comparison_description": "runtime in minutes",
            "comparison_levels": [
                _null("runtime_l", "runtime_r"),
                _level(
                    "abs(runtime_l - runtime_r) <= 0.1 * greatest(runtime_l, runtime_r)",
                    "within 10%",
                ),
                _level("ELSE", "differ by more than 10%"),
            ],
        },
        {
            "output_column_name": "dates",
            "comparison_description": (
                "first licence or release against the year of registration; a licence before "
                "registration says nothing (agencies register older works when they return)"
            ),
            "comparison_levels": [
                _level(
                    f"coalesce({_since('first_use_l', 'registered_r')} >= 0, false) = false "
                    f"AND coalesce({_since('first_use_r', 'registered_l')} >= 0, false) = false",
                    "missing, or in use before registration",
                    is_null_level=True,
                ),
                _level(_since_between(0, 1), "in use within a year of registration"),
                _level(_since_between(2, 4), "in use two to four years after registration"),
                _level("ELSE", "in use five years or more after registration"),
            ],
        },
        {
            "output_column_name": "identifiers",
            "comparison_description": "EIDR, ISAN, CPB, ROE and ACAU title ids",
            "comparison_levels": [
                _level(any_null, "no scheme in common", is_null_level=True),
                _level(
                    same,
                    "same identifier",
                    m_probability=0.95,
                    u_probability=1e-6,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
                _level(
                    "ELSE",
                    "different identifiers",
                    m_probability=0.05,
                    u_probability=1 - 1e-6,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
            ],
        },
    ]


def blocking_rules() -> list[dict[str, Any]]:
    """Return the rules that choose which pairs are compared at all."""
    return [
        {"blocking_rule": "l.titles = r.titles", "arrays_to_explode": ["titles"]},
        {"blocking_rule": "l.directors = r.directors", "arrays_to_explode": ["directors"]},
        {"blocking_rule": "substr(l.title, 1, 6) = substr(r.title, 1, 6) AND l.year = r.year"},
    ]


def base_settings() -> dict[str, Any]:
    """Return the untrained Splink settings."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-5,
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
    }


@dataclass
class Model:
    """A trained model with its version and thresholds, in match weights (log2 odds)."""

    version: str
    settings: dict[str, Any]
    auto_link: float = AUTO_LINK
    review: float = REVIEW
    margin: float = MARGIN

    def to_json(self) -> dict[str, Any]:
        """Return the file form of the model."""
        return {
            "format": FORMAT,
            "version": self.version,
            "thresholds": {
                "auto_link_weight": self.auto_link,
                "review_weight": self.review,
                "margin": self.margin,
            },
            "splink": self.settings,
        }


def load_model(path: Path | None = None) -> Model:
    """Read the model file or raise ModelUnavailable with one line saying why."""
    path = path or MODEL_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        thresholds = data["thresholds"]
        return Model(
            data["version"],
            data["splink"],
            float(thresholds["auto_link_weight"]),
            float(thresholds["review_weight"]),
            float(thresholds["margin"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"linkage model {path} does not load: {exc}") from exc


def save_model(model: Model, path: Path | None = None) -> Path:
    """Write the model file."""
    path = path or MODEL_PATH
    path.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def linker_for(table: pa.Table, settings: dict[str, Any]) -> tuple[Any, duckdb.DuckDBPyConnection]:
    """Return a DuckDB-backed Splink linker over a table of units, and its connection."""
    from splink import DuckDBAPI, Linker

    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    connection.execute("SET enable_progress_bar = false")
    connection.register("units_arrow", table)
    connection.execute("CREATE TABLE units AS SELECT * FROM units_arrow")
    connection.unregister("units_arrow")
    db_api = DuckDBAPI(connection=connection)
    frame = db_api.register("units", table_name="units_input")
    return Linker(frame, settings, log_level=logging.WARNING), connection


def train(table: pa.Table, seed: int = 42) -> Model:
    """Fit the model on the registry's own units without labels: u by sampling, m by EM."""
    from splink import block_on

    linker, connection = linker_for(table, base_settings())
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("title", "year"), block_on("title", "directors")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("title"), fix_u_probabilities=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("year", "substr(title, 1, 3)"), fix_u_probabilities=True
    )
    settings = linker.misc.save_model_to_json()
    connection.close()
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Model(version, settings)
