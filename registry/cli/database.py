"""`registry db`: database migrations."""

from __future__ import annotations

import click

from registry.context import Registry
from registry.migrate import upgrade


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Apply migrations up to a revision."""
    registry = Registry.from_settings()
    upgrade(registry, revision)
    click.echo(f"database at {revision}: {_safe_url(registry.settings.database_url)}")


def _safe_url(url: str) -> str:
    """Hide the password of a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
