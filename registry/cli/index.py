"""`registry index`: rebuild, sync and inspect the search index."""

from __future__ import annotations

import sys

import click

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.search import indexer
from registry.search.management import MAPPING_VERSION
from registry.search.rebuild_lock import RebuildRunning


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
def sync() -> None:
    """Index every work waiting in the outbox."""
    registry = Registry.from_settings()
    try:
        done = indexer.sync(registry)
    except SearchUnavailable as exc:
        raise click.ClickException(f"{exc.message}; pending works stay in the outbox") from exc
    s = indexer.status(registry)
    click.echo(f"indexed {done} works; {s.pending} pending; {s.refused} refused")
    if s.refused:
        click.echo("  refused works are listed by `registry index status`", err=True)


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
