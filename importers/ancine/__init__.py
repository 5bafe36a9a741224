"""Importers of ANCINE (Brazil) open data: works, title registrations, countries, releases."""

from importers.ancine import countries, crt, directors, releases, works

__all__ = ["countries", "crt", "directors", "releases", "works"]
