"""Findings graded as MovieLabs' validator grades them, and how a batch report carries them."""

from __future__ import annotations

from importers.avails.mapping_work import Errors, add_error, add_notice, add_warning
from importers.base import Finding, ParsedRecord
from registry.services.findings import finding_rows
from registry.services.imports import BatchReport


def test_a_record_keeps_warnings_and_notices_apart_from_its_reasons_to_refuse() -> None:
    record = ParsedRecord("Movies!row 4", "raw", "ALID-1")
    record.warn("identifier-unverified", "TitleID", "kept unverified: bad check")
    record.notice("alid-repeated", "ALID", "kept as Avail 2")
    assert record.errors == {}
    assert [f.to_dict() for f in record.findings] == [
        {
            "severity": "warning",
            "code": "identifier-unverified",
            "field": "TitleID",
            "message": "kept unverified: bad check",
        },
        {
            "severity": "notice",
            "code": "alid-repeated",
            "field": "ALID",
            "message": "kept as Avail 2",
        },
    ]


def test_errors_absorb_reasons_and_findings_of_another_collection() -> None:
    mine, other = Errors(), Errors()
    add_error(mine, "Territory", "'JJ' is not an ISO 3166-1 country")
    add_error(other, "Territory", "Territory is required")
    add_warning(other, "language-invalid", "AllowedLanguage", "left out: 'XYZ'")
    add_notice(other, "alid-repeated", "ALID", "again")
    mine.absorb(other)
    mine.absorb({"Start": ["Start is required"]})
    assert dict(mine) == {
        "Territory": ["'JJ' is not an ISO 3166-1 country", "Territory is required"],
        "Start": ["Start is required"],
    }
    assert [f.severity for f in mine.findings] == ["warning", "notice"]


def test_finding_rows_leave_errors_to_rejections_and_fit_their_columns() -> None:
    record = ParsedRecord("L" * 600, "raw", "K" * 400)
    record.findings = [
        Finding("error", "schema", "x", "refused"),
        Finding("warning", "identifier-unverified", "F" * 300, "message"),
    ]
    [row] = finding_rows(7, [record, ParsedRecord("other", "raw")])
    assert row["batch_id"] == 7 and row["severity"] == "warning"
    assert (len(row["locator"]), len(row["source_key"]), len(row["field"])) == (500, 300, 200)


def test_the_batch_report_counts_and_lists_findings() -> None:
    report = BatchReport(1, "f.xml", "avails-xml", "ZZ-AVAILS", "0" * 64)
    report.warnings["identifier-unverified"] = 2
    report.findings.append({"code": "identifier-unverified"})
    data = report.to_dict()
    assert data["warnings"] == {"identifier-unverified": 2}
    assert data["notices"] == {}
    assert data["findings"] == [{"code": "identifier-unverified"}]
