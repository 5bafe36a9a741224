"""`registry audit`: read the audit log."""

from __future__ import annotations

import json
from datetime import datetime

import click

from registry.context import Registry
from registry.services.audit import entry_dict, list_entries


@click.command("audit")
@click.option("--agency", "agency_code", default=None, help="Only this agency's entries.")
@click.option(
    "--since", type=click.DateTime(), default=None, help="Only entries from this time (UTC)."
)
@click.option("--limit", type=click.IntRange(1, 100000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def audit_command(
    agency_code: str | None, since: datetime | None, limit: int, as_json: bool
) -> None:
    """Print audit entries, oldest first."""
    registry = Registry.from_settings()
    with registry.sessions() as session:
        for entry in list_entries(session, agency_code, since, limit=limit):
            row = entry_dict(entry)
            if as_json:
                click.echo(json.dumps(row, default=str, ensure_ascii=False))
            else:
                click.echo(
                    f"{row['at']:%Y-%m-%d %H:%M:%S} {row['actor']} [{row['agency'] or '-'}] "
                    f"{row['action']} {row['target']} -> {row['result']}"
                )
