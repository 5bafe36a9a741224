"""The demo run imports only changed sample files and indexes while an import runs."""

from __future__ import annotations

import shutil
import threading
import time

from registry.devtools.samples import pending_files
from registry.search import indexer, management
from registry.search.follow import follow
from registry.services.imports import run_import
from tests.conftest import TEST_DATA
from tests.helpers import write_aggregates

ANCINE = TEST_DATA / "ancine"


def test_files_imported_with_the_same_bytes_are_skipped(registry, tmp_path):
    cpb, crt = ANCINE / "cpb-2023.csv", ANCINE / "crt-2023.csv"
    assert pending_files(registry, [cpb, crt]) == [cpb, crt]
    run_import(registry, cpb)
    run_import(registry, crt, dry_run=True)
    assert pending_files(registry, [cpb, crt]) == [crt]

    changed = tmp_path / "cpb-2023.csv"
    shutil.copyfile(cpb, changed)
    with changed.open("a", encoding="utf-8") as out:
        out.write("\n")
    missing = tmp_path / "gone.csv"
    assert pending_files(registry, [cpb, changed, missing]) == [changed, missing]


def test_following_indexes_works_written_while_it_runs(search_registry):
    first = write_aggregates(search_registry, [("f1", {"titles": [{"text": "Primeira"}]})])
    written: list[int] = []
    done = threading.Event()

    def writer() -> None:
        for i in range(3):
            time.sleep(0.3)
            written.extend(
                write_aggregates(search_registry, [(f"w{i}", {"titles": [{"text": f"Obra {i}"}]})])
            )
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    total = follow(search_registry, lambda: not done.is_set(), pause=0.1)
    thread.join()
    assert total == 4 and len(written) == 3
    management.refresh(search_registry.search, search_registry.index_prefix)
    status = indexer.status(search_registry)
    assert status.pending == 0 and status.documents == 4 and first[0] not in written
