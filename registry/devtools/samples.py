"""List the sample files a demo run still has to import: skip files already imported as they are.

Usage: python -m registry.devtools.samples FILE...   (prints the files to import, one a line)

A file is skipped when a completed, non-dry-run import batch with the same SHA-256 exists in
the configured database; set REGISTRY_REIMPORT=1 to list every file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from registry.context import Registry
from registry.models import ImportBatch
from registry.services.imports import file_sha256


def pending_files(registry: Registry, files: Sequence[Path]) -> list[Path]:
    """Return the files whose exact content has not been imported completely yet."""
    digests = {path: file_sha256(path) for path in files if path.is_file()}
    with registry.sessions() as session:
        done = set(
            session.scalars(
                select(ImportBatch.sha256).where(
                    ImportBatch.sha256.in_(sorted(set(digests.values()))),
                    ImportBatch.status == "completed",
                    ImportBatch.dry_run.is_(False),
                )
            )
        )
    return [path for path in files if path not in digests or digests[path] not in done]


def main(argv: Sequence[str]) -> int:
    """Print the files to import."""
    files = [Path(arg) for arg in argv]
    if os.environ.get("REGISTRY_REIMPORT", "").strip() in {"1", "true", "yes"}:
        pending = files
    else:
        registry = Registry.from_settings()
        try:
            pending = pending_files(registry, files)
        finally:
            registry.close()
    for path in pending:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
