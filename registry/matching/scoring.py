"""Score pairs of units with the model and explain each score comparison by comparison."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from registry.matching.features import WORK_TYPE_FAMILY, Unit, to_arrow
from registry.matching.model import Model, linker_for
from registry.matching.rules import conflicts


@dataclass(frozen=True)
class Scored:
    """One compared pair of units: probability, weight and the part each comparison played."""

    work_a: int
    work_b: int
    probability: float
    match_weight: float
    explanation: list[dict[str, Any]]
    serial: bool = False
    cross_agency: bool = False


def _labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Map each comparison's gamma values to their level labels."""
    out: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        values = {}
        rank = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                values[-1] = level["label_for_charts"]
            else:
                values[rank] = level["label_for_charts"]
                rank -= 1
        out[comparison["output_column_name"]] = values
    return out


def score(
    model: Model,
    units: Iterable[Unit],
    focus: set[int] | None = None,
    floor: float | None = None,
) -> list[Scored]:
    """Score the blocked pairs among units (only pairs touching focus, when given).

    Pairs whose units hold different values of an exclusive scheme are dropped: no score can
    join them. Pairs below the floor weight (the review weight by default) are not returned.
    """
    by_id = {u.unit_id: u for u in units if u.linkable()}
    if len(by_id) < 2:
        return []
    table = to_arrow(by_id.values())
    return score_table(model, table, by_id, focus, model.review if floor is None else floor)


def score_table(
    model: Model,
    table: pa.Table,
    by_id: dict[int, Unit],
    focus: set[int] | None,
    floor: float,
) -> list[Scored]:
    """Score a prepared table of units, keeping pairs above floor that the hard rules allow."""
    linker, connection = linker_for(table, model.settings)
    try:
        predictions = linker.inference.predict(threshold_match_weight=floor, warning_mode="never")
        names = [c["output_column_name"] for c in model.settings["comparisons"]]
        columns = ", ".join(f"gamma_{n}, mw_{n}" for n in names)
        rows = connection.execute(
            "SELECT unique_id_l, unique_id_r, match_probability, match_weight, "
            f"{columns} FROM {predictions.physical_name}"
        ).fetchall()
    finally:
        connection.close()
    labels = _labels(model.settings)
    out = []
    for row in rows:
        left, right = int(row[0]), int(row[1])
        if focus is not None and left not in focus and right not in focus:
            continue
        if conflicts(by_id[left].identifiers, by_id[right].identifiers):
            continue
        explanation = []
        for index, name in enumerate(names):
            gamma, weight = row[4 + 2 * index], row[5 + 2 * index]
            explanation.append(
                {
                    "comparison": name,
                    "level": labels[name].get(int(gamma), str(gamma)),
                    "weight": None if weight is None else round(float(weight), 3),
                }
            )
        a, b = sorted((left, right))
        serial = all(WORK_TYPE_FAMILY.get(by_id[u].work_type or "") == "serial" for u in (a, b))
        left, right = by_id[a].agencies, by_id[b].agencies
        across = bool(left and right and not left & right)
        out.append(Scored(a, b, float(row[2]), float(row[3]), explanation, serial, across))
    return out
