"""`registry index`: rebuild, sync and inspect the search index."""

from __future__ import annotations

import os
import sys

import click

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.search import indexer
from registry.search.follow import follow
from registry.search.management import MAPPING_VERSION
from registry.search.rebuild_lock import RebuildRunning
from registry.search.status import pending_count, refused_count


@click.group()
def index() -> None:
    """Manage the search index."""


@index.command()
def rebuild() -> None:
    """Build a new index from the database and swap the alias to it."""
    registry = Registry.from_settings()
    try:
        result = indexer.rebuild(registry)
    except (SearchUnavailable, RebuildRunning) as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"indexed {result['documents']} works into {result['index']}; "
        f"refused {result['refused']}; caught up {result['caught_up']}; "
        f"removed {', '.join(result['removed']) or '-'}"
    )


@index.command()
@click.option(
    "--while-pid",
    type=int,
    default=None,
    help="Keep indexing while this process runs (an import), then drain what is left.",
)
def sync(while_pid: int | None) -> None:
    """Index every work waiting in the outbox, and retry refused works that changed."""
    registry = Registry.from_settings()
    try:
        if while_pid is not None:
            done = follow(registry, lambda: _alive(while_pid))
        else:
            done = indexer.sync(registry)
    except SearchUnavailable as exc:
        raise click.ClickException(f"{exc.message}; pending works stay in the outbox") from exc
    refused = refused_count(registry)
    click.echo(f"indexed {done} works; {pending_count(registry)} pending; {refused} refused")
    if refused:
        click.echo("  refused works are listed by `registry index status`", err=True)


def _alive(pid: int) -> bool:
    """Tell whether a process still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@index.command()
def status() -> None:
    """Compare the index with the database."""
    registry = Registry.from_settings()
    s = indexer.status(registry)
    click.echo(f"alias:     {s.alias} -> {', '.join(s.indices) or '(none)'}")
    click.echo(f"documents: {s.documents if s.reachable else 'search unreachable'}")
    click.echo(f"works:     {s.works}")
    click.echo(f"pending:   {s.pending}")
    click.echo(f"refused:   {s.refused}")
    for letter in s.latest_refused:
        click.echo(
            f"  work {letter.work_id} (version {letter.work_version}): HTTP {letter.status} "
            f"{letter.error_type}: {letter.reason[:200]}"
        )
    if not s.mapping_current:
        click.echo(
            f"mapping:   {s.mapping}, this version uses {MAPPING_VERSION}: "
            "run `registry index rebuild`"
        )
    click.echo(f"in sync:   {'yes' if s.in_sync else 'no'}")
    sys.exit(0 if s.reachable else 3)
