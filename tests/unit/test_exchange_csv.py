"""The exchange CSV template: rows to aggregates, and aggregates back to rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from importers.base import UnreadableFile
from importers.exchange.columns import ALL_COLUMNS, COLUMN_OF_ROLE
from importers.exchange.csv_template import ExchangeCsvImporter
from importers.exchange.flatten import aggregate_rows, territory_cells
from schemas.aggregate import WORK_AGGREGATE
from tests.conftest import TEST_DATA

HEADER = [
    "key",
    "work_type",
    "year",
    "countries_of_origin",
    "original_title",
    "original_title_language",
    "identifiers",
    "directors",
    "production_companies",
    "local_title",
    "local_title_kind",
    "local_title_language",
    "local_title_territory",
    "rights_holder",
    "right_type",
    "rights_share_pct",
    "rights_territories",
    "licensee",
    "license_media",
    "license_territories",
    "license_excluded_territories",
    "license_start",
    "license_end",
    "license_exclusive",
    "coproduction_country",
    "coproduction_share_pct",
    "coproduction_role",
]


def _write(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """Write a template file with the given header and rows."""
    path = tmp_path / "works.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _row(**cells: str) -> list[str]:
    """Return a row of HEADER with the given cells filled."""
    return [cells.get(column, "") for column in HEADER]


def _records(path: Path) -> list:
    """Return every record the importer reads from path."""
    return list(ExchangeCsvImporter().records(path))


EXAMPLE_ROWS = [
    _row(
        key="EJ-1",
        work_type="Movie",
        year="2026",
        countries_of_origin="AR|UY",
        original_title="La casa del río",
        original_title_language="es",
        identifiers="proprietary:example.org:EJ-1",
        directors="Directora Ejemplo",
        production_companies="Productora Ejemplo S.A. [country:AR]",
        local_title="The River House",
        local_title_kind="translated",
        local_title_language="en",
        rights_holder="Productora Ejemplo S.A.",
        right_type="economic",
        rights_share_pct="100",
        rights_territories="WORLD",
        licensee="Plataforma Ejemplo S.R.L.",
        license_media="SVOD|avod",
        license_territories="LATAM",
        license_excluded_territories="BR",
        license_start="2026-01-01",
        license_end="31/12/2027",
        license_exclusive="yes",
        coproduction_country="AR",
        coproduction_share_pct="70",
        coproduction_role="majority",
    ),
    _row(
        key="EJ-1",
        licensee="Canal Ejemplo",
        license_media="free_tv",
        license_territories="AR",
        license_start="2026-07-01",
        license_exclusive="no",
        coproduction_country="UY",
        coproduction_share_pct="30",
        coproduction_role="minority",
    ),
    _row(
        key="EJ-2",
        original_title="Otra obra de ejemplo",
        year="2025",
        local_title="Outra obra",
        local_title_language="pt",
        local_title_territory="BR",
    ),
]


def test_following_rows_with_the_same_key_add_licences_and_coproductions(tmp_path):
    first, second = _records(_write(tmp_path, EXAMPLE_ROWS))
    assert (first.key, first.locator, first.errors) == ("EJ-1", "lines 2-3", {})
    data = first.data
    assert data["work_type"] == "movie" and data["year"] == 2026
    assert data["countries_of_origin"] == ["AR", "UY"]
    assert data["titles"] == [
        {"text": "La casa del río", "language": "es", "kind": "original"},
        {"kind": "translated", "text": "The River House", "language": "en", "territory": None},
    ]
    assert data["identifiers"] == [{"scheme": "proprietary:example.org", "value": "EJ-1"}]
    assert [(c["role"], c["party"]["kind"], c["party"]["name"]) for c in data["contributions"]] == [
        ("director", "person", "Directora Ejemplo"),
        ("production_company", "organization", "Productora Ejemplo S.A."),
    ]
    assert data["contributions"][1]["party"]["country"] == "AR"
    assert data["rights"] == [
        {
            "holder": {
                "kind": "organization",
                "name": "Productora Ejemplo S.A.",
                "identifiers": [],
            },
            "right_type": "economic",
            "share_pct": 100.0,
            "territories": ["WORLD"],
        }
    ]
    svod, free_tv = data["licenses"]
    assert svod["media"] == ["svod", "avod"]
    assert (svod["territories"], svod["excluded_territories"]) == (["LATAM"], ["BR"])
    assert (svod["start"], svod["end"], svod["exclusive"]) == ("2026-01-01", "2027-12-31", True)
    assert free_tv["licensee"]["name"] == "Canal Ejemplo"
    assert (free_tv["media"], free_tv["exclusive"], "end" in free_tv) == (["free_tv"], False, False)
    assert [(c["country"], c["share_pct"], c["role"]) for c in data["coproductions"]] == [
        ("AR", 70.0, "majority"),
        ("UY", 30.0, "minority"),
    ]
    assert (second.key, second.locator) == ("EJ-2", "line 4")
    assert second.data["titles"][1] == {
        "kind": "local",
        "text": "Outra obra",
        "language": "pt",
        "territory": "BR",
    }


def test_parsed_rows_pass_the_shared_schema(tmp_path):
    for record in _records(_write(tmp_path, EXAMPLE_ROWS)):
        loaded = WORK_AGGREGATE.load(record.data)
        assert loaded["titles"]
    first = WORK_AGGREGATE.load(_records(_write(tmp_path, EXAMPLE_ROWS))[0].data)
    assert "BR" not in first["licenses"][0]["territories"]
    assert first["licenses"][0]["territory_expression"] == "LATAM except BR"


def test_a_following_row_may_not_restate_work_columns(tmp_path):
    rows = [EXAMPLE_ROWS[0], _row(key="EJ-1", year="2027", license_media="svod")]
    [record] = _records(_write(tmp_path, rows))
    assert record.errors == {
        "year": [
            "line 3: only the first row of a work may fill this column; following rows add titles, "
            "rights, licences and co-productions"
        ]
    }


def test_unreadable_cells_are_reported_by_column_and_line(tmp_path):
    rows = [
        _row(
            key="EJ-1",
            original_title="X",
            year="dos mil",
            license_media="svod",
            license_start="31/02/2026",
            license_exclusive="maybe",
            identifiers="B2000263300000",
        )
    ]
    [record] = _records(_write(tmp_path, rows))
    assert set(record.errors) == {"year", "license_start", "license_exclusive", "identifiers"}
    assert record.errors["license_start"][0].startswith("line 2: '31/02/2026' is not a calendar")


def test_a_key_used_again_later_is_refused(tmp_path):
    rows = [
        _row(key="A", original_title="Uno"),
        _row(key="B", original_title="Dos"),
        _row(key="A", license_media="svod"),
    ]
    records = _records(_write(tmp_path, rows))
    assert [r.errors for r in records[:2]] == [{}, {}]
    assert "already names the work at line 2" in records[2].errors["key"][0]


def test_a_row_with_the_wrong_number_of_cells_rejects_its_whole_work(tmp_path):
    path = _write(tmp_path, EXAMPLE_ROWS)
    lines = path.read_text("utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    first, second = _records(path)
    assert first.locator == "lines 2-3" and first.data is None
    assert first.errors == {
        "_row": [f"line 3: the row has {len(HEADER) + 1} cells, the header {len(HEADER)}"]
    }
    assert second.key == "EJ-2" and second.errors == {}


def test_a_row_without_a_key_is_refused(tmp_path):
    [record] = _records(_write(tmp_path, [_row(original_title="Sin clave")]))
    assert record.errors == {"key": ["line 2: every row needs a key"]}


def test_delete_rows_and_non_authoritative_rows(tmp_path):
    header = ["key", "action", "authoritative", "original_title", "year"]
    path = _write(
        tmp_path,
        [
            ["A", "delete", "", "", ""],
            ["B", "", "no", "Dos", "2020"],
            ["C", "remove", "", "Tres", ""],
        ],
        header,
    )
    deletion, referral, bad = _records(path)
    assert (deletion.action, deletion.data, deletion.errors) == ("delete", None, {})
    assert (referral.action, referral.authoritative) == ("upsert", False)
    assert referral.data == {
        "year": 2020,
        "titles": [{"text": "Dos", "language": None, "kind": "original"}],
    }
    assert bad.errors == {"action": ["line 4: 'remove' is not upsert or delete"]}


def test_unknown_and_repeated_columns_make_the_file_unreadable(tmp_path):
    path = _write(tmp_path, [["A", "x"]], ["key", "licence_start"])
    with pytest.raises(UnreadableFile, match="unknown columns: licence_start"):
        _records(path)
    path = _write(tmp_path, [["A", "x", "y"]], ["key", "year", "year"])
    with pytest.raises(UnreadableFile, match="repeated columns: year"):
        _records(path)


def test_private_columns_are_ignored(tmp_path):
    path = _write(tmp_path, [["A", "Uno", "nota interna"]], ["key", "original_title", "x_notes"])
    [record] = _records(path)
    assert record.errors == {}
    assert record.data == {"titles": [{"text": "Uno", "language": None, "kind": "original"}]}


def test_sniff_recognises_the_template_header_only():
    assert ExchangeCsvImporter.sniff(",".join(ALL_COLUMNS).encode(), Path("x"))
    assert ExchangeCsvImporter.sniff(
        b"\xef\xbb\xbfkey,original_title,year\r\nA,B,2020\r\n", Path("x")
    )
    assert not ExchangeCsvImporter.sniff(b"key,value\n", Path("x"))
    ancine = (TEST_DATA / "ancine" / "cpb-2023.csv").read_bytes()[:4096]
    assert not ExchangeCsvImporter.sniff(ancine, Path("x"))


def _csv_round_trip(aggregate: dict, authoritative: bool = True) -> tuple[dict, str]:
    """Return an aggregate's canonical dump and the template text that states it."""
    dumped = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(aggregate))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ALL_COLUMNS)
    writer.writerows(aggregate_rows("K", dumped, authoritative))
    return dumped, buffer.getvalue()


def test_the_complete_aggregate_survives_a_csv_round_trip(tmp_path):
    complete = json.loads((TEST_DATA / "aggregates" / "complete.json").read_text("utf-8"))
    dumped, text = _csv_round_trip(complete, authoritative=False)
    path = tmp_path / "export.csv"
    path.write_text(text, "utf-8")
    [record] = _records(path)
    assert record.errors == {} and record.authoritative is False
    back = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(record.data))
    assert _by_role(back.pop("contributions")) == _by_role(dumped.pop("contributions"))
    assert back == dumped


def _by_role(contributions: list[dict]) -> list[dict]:
    """Return contributions grouped by role in column order, keeping the order within a role."""
    order = list(COLUMN_OF_ROLE)
    return sorted(contributions, key=lambda c: order.index(c["role"]))


def test_export_rows_put_one_item_of_each_group_on_each_row():
    complete = json.loads((TEST_DATA / "aggregates" / "complete.json").read_text("utf-8"))
    dumped = WORK_AGGREGATE.dump(WORK_AGGREGATE.load(complete))
    rows = [dict(zip(ALL_COLUMNS, row, strict=True)) for row in aggregate_rows("K", dumped)]
    assert len(rows) == 2
    assert rows[0]["original_title"] == "5 CASAS"
    assert rows[0]["identifiers"] == (
        "br_cpb:B2000263300000|eidr:10.5240/7791-8534-2C23-9030-8610-5"
    )
    assert rows[0]["rights_territories"] == "WORLD"
    assert rows[0]["rights_excluded_territories"] == "DE"
    assert rows[0]["license_territories"] == "MERCOSUR"
    assert rows[0]["coproduction_country"] == "BR" and rows[1]["coproduction_country"] == "DE"
    assert rows[1]["year"] == "" and rows[1]["license_media"] == ""


def test_territories_fall_back_to_countries_when_the_expression_does_not_expand_to_them():
    assert territory_cells({"territories": ["AR", "UY"], "territory_expression": "AR, UY"}) == (
        "AR|UY",
        "",
    )
    assert territory_cells({"territories": ["AR"], "territory_expression": "Argentina only"}) == (
        "AR",
        "",
    )
    assert territory_cells({"territories": [], "territory_expression": None}) == ("", "")


def test_semicolon_and_tab_separated_copies_read_the_same(tmp_path):
    comma = _records(_write(tmp_path, EXAMPLE_ROWS))
    for delimiter in (";", "\t"):
        path = tmp_path / "other.csv"
        with path.open("w", encoding="cp1252", newline="") as out:
            writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(HEADER)
            writer.writerows(EXAMPLE_ROWS)
        assert ExchangeCsvImporter.sniff(path.read_bytes(), path)
        other = _records(path)
        assert [r.data for r in other] == [r.data for r in comma]
        assert other[0].data["titles"][0]["text"] == "La casa del río"
