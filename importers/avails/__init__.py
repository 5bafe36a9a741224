"""MovieLabs Avails importers: the XML schema and the EMA spreadsheet."""

from importers.avails import xlsx_importer, xml_importer

__all__ = ["xlsx_importer", "xml_importer"]
