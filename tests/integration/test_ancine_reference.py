"""Read the six full ANCINE reference files through the importers, without a database."""

from __future__ import annotations

import pytest

from importers.registry import detect_format, get_importer
from schemas.aggregate import WORK_AGGREGATE
from tests.conftest import reference_file

# file, format, data rows, lines of the rows ANCINE published with a 12-digit CPB
REFERENCE_FILES = (
    ("obras-nao-pub-brasileiras-2023.csv", "ancine-cpb", 3820, []),
    ("obras-nao-pub-estrangeiras-2023.csv", "ancine-roe", 1583, []),
    ("paises-de-origem-das-obras-nao-publicitarias-brasileiras.csv", "ancine-countries", 58738,
     ["line 13726", "line 39116"]),
    ("diretores-de-obras-nao-publicitarias-estrangeiras.csv", "ancine-directors", 76196, []),
    ("crt-obras-nao-publicitarias-2023.csv", "ancine-crt", 6985, []),
    ("lancamentos-comerciais-por-distribuidoras.csv", "ancine-releases", 7051, ["line 4730"]),
)  # fmt: skip


@pytest.mark.parametrize(("file_name", "format_name", "rows", "refused"), REFERENCE_FILES)
def test_every_reference_row_gives_one_valid_record(
    file_name: str, format_name: str, rows: int, refused: list[str]
) -> None:
    """Recognise each file, read one record per row and refuse only the malformed CPBs."""
    path = reference_file(f"ancine/{file_name}")
    assert detect_format(path) == format_name
    records = list(get_importer(format_name)().records(path))
    assert len(records) == rows
    bad = [r for r in records if r.errors]
    assert [r.locator for r in bad] == refused
    assert all("'B' and 13 digits" in r.errors["CPB" if "CPB" in r.errors else "CPB_ROE"][0]
               for r in bad)  # fmt: skip
    for record in records:
        if not record.errors:
            WORK_AGGREGATE.load(record.data)
