"""`registry token`: issue, list and revoke the bearer tokens of agency clients."""

from __future__ import annotations

import sys

import click

from registry.auth.tokens import create_token, list_tokens, revoke_token
from registry.context import Registry
from registry.errors import RegistryError
from registry.models.auth import ROLES
from registry.services import audit
from registry.services.agencies import AGENCIES, ensure_agency


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--agency", "agency_code", required=True, help="The agency the token acts for.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default=None, help="A unique name (default: generated).")
def create_command(agency_code: str, role: str, name: str | None) -> None:
    """Create a token; it is printed once, alone on the last line."""
    registry = Registry.from_settings()
    with registry.sessions() as session:
        try:
            if agency_code in AGENCIES:
                ensure_agency(session, agency_code)
            issued = create_token(session, agency_code, role, name)
        except RegistryError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        audit.record(
            session, "token.create", issued.name, details={"agency": agency_code, "role": role}
        )
        session.commit()
    click.echo(f"token {issued.name} for {issued.agency} ({issued.role}); shown once, keep it:")
    click.echo(issued.secret)


@token.command("list")
@click.option("--agency", "agency_code", default=None)
def list_command(agency_code: str | None) -> None:
    """List tokens (never their secrets)."""
    registry = Registry.from_settings()
    with registry.sessions() as session:
        for row in list_tokens(session, agency_code):
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
            click.echo(f"{row.name}\t{row.agency_code}\t{row.role}\t{state}")


@token.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke a token by name."""
    registry = Registry.from_settings()
    with registry.sessions() as session:
        try:
            row = revoke_token(session, name)
        except RegistryError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        audit.record(session, "token.revoke", name, details={"agency": row.agency_code})
        session.commit()
    click.echo(f"token {name} revoked")
