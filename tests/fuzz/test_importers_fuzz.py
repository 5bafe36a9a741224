"""Fuzz every importer: random bytes and broken real files end in records or one refusal."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from marshmallow import ValidationError

from importers.base import ParsedRecord, UnreadableFile
from importers.registry import detect_format, get_importer, importers
from schemas.aggregate import WORK_AGGREGATE
from schemas.fast import try_load_aggregate
from tests.fuzz.seeds import SEED_FILES, file_contents

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FORMATS = sorted(SEED_FILES)
EXAMPLES = int(os.environ.get("REGISTRY_FUZZ_EXAMPLES", "40"))  # raise it for a deeper run
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=IN_CI,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def read_everything(source_format: str, data: bytes) -> list[ParsedRecord]:
    """Sniff and read a file as the pipeline would; only UnreadableFile may stop it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz.{'xlsx' if source_format == 'avails-xlsx' else 'dat'}"
        path.write_bytes(data)
        try:
            detect_format(path)
        except UnreadableFile as exc:
            assert "\n" not in str(exc)
        records: list[ParsedRecord] = []
        try:
            for record in get_importer(source_format)().records(path):
                records.append(record)
        except UnreadableFile as exc:
            assert str(exc) and "\n" not in str(exc)
        for record in records:
            check_record(record)
        return records


def check_record(record: ParsedRecord) -> None:
    """A record has a locator and raw text; its data loads or is refused field by field."""
    assert isinstance(record, ParsedRecord)
    assert isinstance(record.locator, str) and record.locator
    assert isinstance(record.raw, str)
    assert all(isinstance(reasons, list) for reasons in record.errors.values())
    if record.data is not None and not record.errors and record.action == "upsert":
        fast = try_load_aggregate(record.data)
        try:
            loaded = WORK_AGGREGATE.load(record.data)
        except ValidationError:
            loaded = None
        assert fast is None or fast == loaded, "the bulk loader accepts what the schema refuses"


def test_every_importer_has_seed_files() -> None:
    assert sorted(importers()) == FORMATS


@pytest.mark.parametrize("source_format", FORMATS)
def test_seed_files_read_without_refusal(source_format: str) -> None:
    from tests.fuzz.seeds import seed_bytes

    for relative in SEED_FILES[source_format]:
        assert read_everything(source_format, seed_bytes(relative))


@pytest.mark.parametrize("source_format", FORMATS)
def test_random_and_broken_files_end_in_records_or_a_refusal(source_format: str) -> None:
    @FUZZ
    @given(data=file_contents(source_format))
    def run(data: bytes) -> None:
        read_everything(source_format, data)

    run()
