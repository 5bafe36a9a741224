"""Text with control characters is refused with its reason and kept, on every database."""

from __future__ import annotations

from sqlalchemy import select

from registry.models import Rejection, SourceRecord
from registry.services.imports import run_import
from schemas.text import NUL_SYMBOL
from tests.conftest import reference_file


def test_a_nul_byte_in_a_csv_field_rejects_that_record_and_keeps_it(registry, tmp_path):
    lines = reference_file("ancine/obras-nao-pub-brasileiras-2023.csv").read_text("utf-8")
    header, first, second, *_ = lines.splitlines()
    broken = second.replace(";", "\x00;", 1)  # the title field ends with a NUL byte
    path = tmp_path / "cpb.csv"
    path.write_text("\n".join([header, first, broken]) + "\n", "utf-8")

    report = run_import(registry, path, "ancine-cpb")
    assert report.reconciles()
    assert (report.counts["created"], report.counts["rejected"]) == (1, 1)
    with registry.sessions() as session:
        [rejection] = session.scalars(select(Rejection))
        payloads = session.scalars(select(SourceRecord.payload)).all()
    assert rejection.locator == "line 3"
    assert rejection.errors == {"titles.0.text": ["contains the control character U+0000"]}
    assert rejection.raw_text == broken.replace("\x00", NUL_SYMBOL)
    assert payloads == [first]


def test_a_key_or_free_form_text_with_control_characters_is_refused(registry, tmp_path):
    lines = [
        '{"format":"av-registry-exchange/1","key":"K\\u0000","work":{"titles":[{"text":"A"}]}}',
        '{"format":"av-registry-exchange/1","key":"K2","work":{"titles":[{"text":"B"}],'
        '"attributes":{"nota":"sino\\u0007"}}}',
        '{"format":"av-registry-exchange/1","key":"K3","work":{"titles":[{"text":"C\\tD"}]}}',
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = run_import(registry, path, "exchange-jsonl", agency="AR-INCAA")
    assert report.reconciles() and report.counts["created"] == 1, "a tab is text, not a control"
    with registry.sessions() as session:
        errors = [r.errors for r in session.scalars(select(Rejection).order_by(Rejection.id))]
    assert errors == [
        {"key": ["contains the control character U+0000"]},
        {"attributes": ["contains the control character U+0007"]},
    ]
