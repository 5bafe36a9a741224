"""`registry index`: rebuild, sync and inspect the search index."""

from __future__ import annotations

import sys

import click

from registry.context import Registry
from registry.errors import SearchUnavailable
from registry.search import indexer


@click.group()
def index() -> None:
    """Manage the search index."""


@index.command()
def rebuild() -> None:
    """Build a new index from the database and swap the alias to it."""
    registry = Registry.from_settings()
    try:
        result = indexer.rebuild(registry)
    except SearchUnavailable as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"indexed {result['documents']} works into {result['index']}; "
        f"caught up {result['caught_up']}; removed {', '.join(result['removed']) or '-'}"
    )


@index.command()
def sync() -> None:
    """Index every work waiting in the outbox."""
    registry = Registry.from_settings()
    try:
        done = indexer.sync(registry)
    except SearchUnavailable as exc:
        raise click.ClickException(f"{exc.message}; pending works stay in the outbox") from exc
    click.echo(f"indexed {done} works; {indexer.pending_count(registry)} pending")


@index.command()
def status() -> None:
    """Compare the index with the database."""
    registry = Registry.from_settings()
    s = indexer.status(registry)
    click.echo(f"alias:     {s.alias} -> {', '.join(s.indices) or '(none)'}")
    click.echo(f"documents: {s.documents if s.reachable else 'search unreachable'}")
    click.echo(f"works:     {s.works}")
    click.echo(f"pending:   {s.pending}")
    click.echo(f"in sync:   {'yes' if s.in_sync else 'no'}")
    sys.exit(0 if s.reachable else 3)
