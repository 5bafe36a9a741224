"""Limits of whole files and lines: over-long CSV cells and JSON lines are refused per record."""

from __future__ import annotations

from pathlib import Path

from importers.csvsource import MAX_FIELD
from importers.exchange.csv_template import ExchangeCsvImporter
from importers.exchange.jsonl import MAX_LINE_BYTES, ExchangeJsonlImporter

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "key,work_type,original_title,year\n"


def test_a_csv_cell_over_the_field_limit_rejects_its_row_only(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        HEADER
        + "K1,movie,Relatos salvajes,2014\n"
        + f'K2,movie,"{"x" * (MAX_FIELD + 10)}",2014\n'
        + "K3,movie,El secreto de sus ojos,2009\n",
        encoding="utf-8",
    )
    records = list(ExchangeCsvImporter().records(path))
    by_key = {record.key: record for record in records}
    assert not by_key["K1"].errors and not by_key["K3"].errors
    refused = [record for record in records if record.errors]
    assert len(refused) == 1
    assert "field larger than field limit" in str(refused[0].errors)


def test_a_json_line_over_the_line_limit_is_refused_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    good = '{"format": "av-registry-exchange/1", "key": "K", "work": {"titles": [{"text": "a"}]}}'
    with path.open("w", encoding="utf-8") as out:
        out.write(good + "\n")
        out.write('{"key": "' + "x" * (MAX_LINE_BYTES + 1) + '"}\n')
        out.write(good + "\n")
    records = list(ExchangeJsonlImporter().records(path))
    assert [bool(r.errors) for r in records] == [False, True, False]
    assert records[1].errors["_line"][0].startswith("longer than 16 MiB")
    assert len(records[1].raw) <= 2000


def test_an_acau_row_whose_key_would_be_too_long_is_rejected(tmp_path: Path) -> None:
    from importers.acau.importer import AcauCsvImporter
    from schemas.fields import MAX_KEY_LENGTH

    sample = (DATA / "acau" / "acau-awards-sample.csv").read_text("utf-8").splitlines()
    path = tmp_path / "acau.csv"
    path.write_text("\n".join([sample[0], sample[1].replace("T0389", "T" + "1" * 400, 1)]) + "\n")
    (record,) = AcauCsvImporter().records(path)
    assert record.key is None
    assert (
        f"the record's key is longer than {MAX_KEY_LENGTH} characters"
        in (record.errors["id_titulo"])
    )
