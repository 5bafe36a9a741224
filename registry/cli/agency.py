"""`registry agency`: register the agencies whose clients hold tokens."""

from __future__ import annotations

import sys

import click

from registry.auth.clients import add_agency
from registry.context import Registry
from registry.errors import RegistryError
from registry.services import audit


@click.group()
def agency() -> None:
    """Manage agencies."""


@agency.command("add")
@click.argument("code")
@click.option("--country", required=True, help="ISO 3166 alpha-2 country code.")
@click.option("--name", required=True, help="The agency's name.")
def add_command(code: str, country: str, name: str) -> None:
    """Register an agency."""
    registry = Registry.from_settings()
    with registry.sessions() as session:
        try:
            row = add_agency(session, code, country, name)
        except RegistryError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        audit.record(session, "agency.add", row.code, details={"country": row.country})
        session.commit()
    click.echo(f"agency {row.code} ({row.country}) added")
