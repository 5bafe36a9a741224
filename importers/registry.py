"""The importers the registry knows, and format detection from a file's content."""

from __future__ import annotations

from pathlib import Path

from importers.base import Importer, UnreadableFile

SNIFF_BYTES = 64 * 1024
_IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Add an importer class under its format name."""
    _IMPORTERS[cls.name] = cls
    return cls


def importers() -> dict[str, type[Importer]]:
    """Return every registered importer by format name."""
    _load_builtin()
    return dict(_IMPORTERS)


def get_importer(name: str) -> type[Importer]:
    """Return the importer of a format name or explain which names exist."""
    known = importers()
    if name not in known:
        raise UnreadableFile(f"unknown format {name!r}; known formats: {', '.join(sorted(known))}")
    return known[name]


def detect_format(path: Path) -> str:
    """Recognise a file's format from its content, not its name."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise UnreadableFile(f"{path.name}: the file is empty")
    matches = [name for name, cls in importers().items() if cls.sniff(head, path)]
    if len(matches) != 1:
        reason = "no known format matches" if not matches else f"ambiguous: {', '.join(matches)}"
        raise UnreadableFile(f"{path.name}: cannot recognise the format ({reason}); use --format")
    return matches[0]


def _load_builtin() -> None:
    """Import the built-in importer modules so they register themselves."""
    import importlib
    import pkgutil

    import importers as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg:
            importlib.import_module(f"importers.{module.name}")
