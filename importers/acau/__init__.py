"""ACAU (Uruguay) open data: support awards to audiovisual projects."""

from importers.acau.importer import AcauCsvImporter

__all__ = ["AcauCsvImporter"]
