"""MovieLabs Common Metadata (MEC) title records."""

from importers.mec.importer import MecXmlImporter

__all__ = ["MecXmlImporter"]
