"""Importers of ANCINE (Brazil) open data: works, title registrations, countries, releases."""

from importers.ancine.countries import AncineCountriesImporter
from importers.ancine.crt import AncineCrtImporter
from importers.ancine.directors import AncineDirectorsImporter
from importers.ancine.releases import AncineReleasesImporter
from importers.ancine.works import AncineCpbImporter, AncineRoeImporter

__all__ = [
    "AncineCountriesImporter",
    "AncineCpbImporter",
    "AncineCrtImporter",
    "AncineDirectorsImporter",
    "AncineReleasesImporter",
    "AncineRoeImporter",
]
