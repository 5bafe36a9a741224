"""`registry worker`: import the files agencies submitted over HTTP."""

from __future__ import annotations

import logging
import signal

import click

from registry.context import Registry
from registry.services.jobs import run_worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Stop when the queue is empty.")
@click.option("--no-index", is_flag=True, help="Leave indexing to `registry index sync`.")
def worker_command(once: bool, no_index: bool) -> None:
    """Process queued imports; SIGTERM or Ctrl-C stops after the current file."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    registry = Registry.from_settings()
    stopping = {"flag": False}

    def stop(_signum: int, _frame: object) -> None:
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    after_commit = None
    if not no_index:
        from registry.search.indexer import index_after_commit

        def after_commit(ids: set[int]) -> tuple[int, int]:
            return index_after_commit(registry, ids)

    def link() -> None:
        from registry.matching.pipeline import link_after_import

        message = link_after_import(registry, after_commit)
        if not message.startswith("linkage: 0 "):
            logging.getLogger("registry.worker").info(message)

    done = run_worker(
        registry, once, after_commit, should_stop=lambda: stopping["flag"], when_idle=link
    )
    click.echo(f"worker stopped after {done} files", err=True)
