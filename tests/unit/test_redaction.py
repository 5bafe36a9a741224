"""Personal identity numbers are withheld from raw rows before they are stored."""

from __future__ import annotations

from importers.base import ParsedRecord
from registry.services.policy import screen
from registry.services.redaction import REDACTED, redact_for_format, redact_personal_numbers


def test_cedulas_in_every_written_form_are_withheld():
    for number in ("1.234.567-8", "12345678", "1234567-8", "4.567.890-1"):
        assert redact_personal_numbers(f"T0001,Obra,{number},Juan") == f"T0001,Obra,{REDACTED},Juan"


def test_amounts_dates_ruts_and_years_are_kept():
    row = 'T0389,La Masajista,2013,"16000,0","33528,9",217926260011,1/8/2013,1500000,0'
    assert redact_personal_numbers(row) == row


def test_only_formats_that_carry_personal_numbers_are_redacted():
    assert redact_for_format("acau-csv", "x,12345678,y") == f"x,{REDACTED},y"
    assert redact_for_format("ancine-cpb", "x,12345678,y") == "x,12345678,y"


def test_a_malformed_acau_row_is_redacted_before_it_can_be_rejected():
    broken = ParsedRecord("line 9", "T0001,too,few,cells,3.456.789-0").reject("_row", "cells")
    (screened,) = screen([broken], "acau-csv", None)
    assert "3.456.789-0" not in screened.raw and REDACTED in screened.raw
