"""Exchange JSON Lines: the envelope of one line and the streaming importer."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from importers.base import UnreadableFile
from importers.exchange import jsonl
from importers.exchange.envelope import FORMAT, build_line, parse_line
from importers.exchange.jsonl import ExchangeJsonlImporter

WORK = {"titles": [{"text": "Relatos salvajes", "language": "es"}], "year": 2014}


def _line(**fields) -> str:
    """Return one exchange line with the given envelope fields."""
    envelope = {"format": FORMAT, "key": "AR-0001", "work": WORK, **fields}
    return json.dumps({k: v for k, v in envelope.items() if v is not None})


def test_an_upsert_line_gives_key_work_and_authority():
    record = parse_line(_line(authoritative=False), 7)
    assert record.errors == {}
    assert record.locator == "line 7"
    assert (record.key, record.action, record.authoritative) == ("AR-0001", "upsert", False)
    assert record.data == WORK
    assert record.raw == _line(authoritative=False)


def test_action_and_authority_default_to_an_authoritative_upsert():
    record = parse_line(_line(), 1)
    assert (record.action, record.authoritative) == ("upsert", True)


def test_a_delete_line_needs_no_work():
    record = parse_line(_line(action="delete", work=None), 3)
    assert record.errors == {}
    assert (record.action, record.data) == ("delete", None)


def test_origin_is_free_provenance_kept_in_the_raw_text():
    text = _line(origin={"agency": "BR-ANCINE", "format": "ancine-cpb", "key": "B2000263300000"})
    record = parse_line(text, 1)
    assert record.errors == {}
    assert "B2000263300000" in record.raw


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ('{"format": "av-registry-exchange/1", "key": ', "_line", "not valid JSON"),
        ("[1, 2]", "_line", "one JSON object"),
        (_line(format="av-registry-exchange/2"), "format", "unsupported version"),
        (_line(format=None), "format", "missing"),
        (_line(key=""), "key", "non-empty"),
        (_line(key=12), "key", "non-empty"),
        (_line(key="K" * 301), "key", "longer than 300"),
        (_line(action="merge"), "action", "'merge'"),
        (_line(authoritative="yes"), "authoritative", "true or false"),
        (_line(origin="ANCINE"), "origin", "JSON object"),
        (_line(work=None), "work", "missing"),
        (_line(work=[WORK]), "work", "missing"),
        (_line(wrok=WORK), "_line", "unknown fields: wrok"),
        ('{"work": ' + "[" * 100_000 + "]" * 100_000 + "}", "_line", "nested too deeply"),
    ],
)
def test_broken_lines_are_refused_with_a_reason(text, field, reason):
    record = parse_line(text, 4)
    assert record.locator == "line 4"
    assert field in record.errors
    assert any(reason in message for message in record.errors[field])


def test_built_lines_parse_back():
    text = build_line(
        "BR-ANCINE:ancine-cpb:B2000263300000",
        WORK,
        authoritative=False,
        origin={"agency": "BR-ANCINE"},
    )
    assert "\n" not in text
    record = parse_line(text, 1)
    assert record.errors == {}
    assert (record.key, record.data, record.authoritative) == (
        "BR-ANCINE:ancine-cpb:B2000263300000",
        WORK,
        False,
    )
    deletion = json.loads(build_line("K", None, action="delete"))
    assert deletion == {"format": FORMAT, "key": "K", "action": "delete", "authoritative": True}


def test_sniff_recognises_exchange_lines_of_any_version():
    assert ExchangeJsonlImporter.sniff(b"\n" + _line().encode() + b"\n", Path("x"))
    assert ExchangeJsonlImporter.sniff(codecs.BOM_UTF8 + _line().encode(), Path("x"))
    later = _line(format="av-registry-exchange/9").encode()
    assert ExchangeJsonlImporter.sniff(later, Path("x"))
    truncated = b'{"format": "av-registry-exchange/1", "key": "K", "work": {"titles": [{"te'
    assert ExchangeJsonlImporter.sniff(truncated, Path("x"))
    broken_first = b'{"format": "av-registry-exchange/1", "key": \n' + _line().encode()
    assert ExchangeJsonlImporter.sniff(broken_first, Path("x"))


@pytest.mark.parametrize(
    "head",
    [
        b'{"format": "other/1"}\n',
        b"key,work_type\nA,movie\n",
        b'{"key": "K"}',
        b"[1]",
        b"",
        b"not json\n" + _line().encode(),
        b"{" + b'"a":[' * 50_000,
    ],
)
def test_sniff_refuses_other_content(head):
    assert not ExchangeJsonlImporter.sniff(head, Path("x"))


def test_the_importer_streams_lines_with_their_numbers(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [_line(key="A"), "", "   ", "not json", _line(key="B", action="delete", work=None)]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    records = list(ExchangeJsonlImporter().records(path))
    assert [r.locator for r in records] == ["line 1", "line 4", "line 5"]
    assert records[0].key == "A" and records[0].errors == {}
    assert records[0].raw == _line(key="A")
    assert "_line" in records[1].errors and records[1].raw == "not json"
    assert records[2].action == "delete"


def test_a_line_that_is_not_utf8_is_refused_alone(tmp_path):
    path = tmp_path / "in.jsonl"
    bad = _line(key="B").replace("Relatos", "Relat\u00f3s").encode("cp1252")
    path.write_bytes(_line(key="A").encode() + b"\n" + bad + b"\n" + _line(key="C").encode())
    records = list(ExchangeJsonlImporter().records(path))
    assert [r.errors == {} for r in records] == [True, False, True]
    assert "not UTF-8" in records[1].errors["_line"][0]
    assert records[2].locator == "line 3"


def test_an_over_long_line_is_refused_and_reading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 200)
    monkeypatch.setattr(jsonl, "_SKIP_CHUNK", 64)
    monkeypatch.setattr(jsonl, "RAW_PREVIEW", 50)
    path = tmp_path / "in.jsonl"
    long_work = {"titles": [{"text": "x" * 1000}]}
    path.write_text("\n".join([_line(key="A"), _line(key="B", work=long_work), _line(key="C")]))
    records = list(ExchangeJsonlImporter().records(path))
    assert [r.locator for r in records] == ["line 1", "line 2", "line 3"]
    assert "longer than" in records[1].errors["_line"][0]
    assert len(records[1].raw) == 50
    assert records[2].key == "C" and records[2].errors == {}


def test_a_file_that_does_not_start_with_an_object_is_unreadable(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("key,work_type\nA,movie\n")
    with pytest.raises(UnreadableFile, match="line 1 is not a JSON object"):
        list(ExchangeJsonlImporter().records(path))
