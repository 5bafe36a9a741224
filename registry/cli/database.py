"""`registry db`: database migrations."""

from __future__ import annotations

import click

from registry.cli.setup import SetupError, safe_url, schema_revisions
from registry.context import Registry
from registry.migrate import upgrade


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Apply migrations up to a revision (creates a SQLite database where none is yet)."""
    registry = Registry.from_settings()
    upgrade(registry, revision)
    click.echo(f"database at {revision}: {safe_url(registry.settings.database_url)}")


@db.command("status")
def status_command() -> None:
    """Tell whether the database's schema is the one this registry needs (exit 2 when not)."""
    registry = Registry.from_settings()
    current, head = schema_revisions(registry.settings.database_url)
    where = safe_url(registry.settings.database_url)
    if current != head:
        raise SetupError(
            f"the database at {where} is at schema revision {current or 'none'}, this registry "
            f"needs {head}: run `registry db upgrade`"
        )
    click.echo(f"database at {head} (up to date): {where}")
