"""Importers of ANCINE (Brazil) open data: works, title registrations, countries, releases."""

from importers.ancine import works

__all__ = ["works"]
