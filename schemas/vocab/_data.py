"""Read the vocabulary tables shipped in schemas/vocab/data."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources
from typing import Any


def _read_text(name: str) -> str:
    """Return the UTF-8 text of a data file of this package."""
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of a CSV data file as dictionaries keyed by its header."""
    return tuple(csv.DictReader(io.StringIO(_read_text(name))))


@cache
def read_json(name: str) -> Any:
    """Return the parsed content of a JSON data file."""
    return json.loads(_read_text(name))
