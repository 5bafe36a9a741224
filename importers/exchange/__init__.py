"""The registry's own exchange format: JSON Lines and a CSV template."""

from importers.exchange import csv_template, jsonl

__all__ = ["csv_template", "jsonl"]
