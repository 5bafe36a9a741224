"""`registry export`: write source records in the exchange format (JSON Lines or CSV)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TextIO

import click
from sqlalchemy.exc import SQLAlchemyError

from registry.context import Registry
from registry.errors import RegistryError
from registry.services.export import FORMATS, ExportSummary, export


def _parse_since(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    """Read --since as an ISO 8601 date or date-time (UTC when no offset is given)."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time such as 2026-05-01 or 2026-05-01T12:00:00Z"
        ) from None


@click.command("export")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: one line per record; csv: the exchange template.",
)
@click.option(
    "--since",
    callback=_parse_since,
    metavar="ISO-TIME",
    help="Only records created or changed at or after this time.",
)
@click.option("--agency", default=None, help="Only records of this agency code (e.g. BR-ANCINE).")
@click.option(
    "--neutralise/--no-neutralise",
    "neutralise",
    default=True,
    show_default=True,
    help="CSV: put an apostrophe before cells starting with = + - @, tab or CR, so that "
    "spreadsheets show them as text (the importer removes it again).",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE|-",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write; - for standard output.",
)
def export_command(
    export_format: str, since: datetime | None, agency: str | None, neutralise: bool, output: Path
) -> None:
    """Export source records in the registry exchange format.

    Example: registry export --format csv --since 2026-05-01 --agency AR-INCAA -o incaa.csv
    """
    registry = Registry.from_settings()
    try:
        if str(output) == "-":
            summary = _to_stdout(registry, export_format, since, agency, neutralise)
        else:
            summary = _to_file(registry, output, export_format, since, agency, neutralise)
    except RegistryError as exc:
        raise click.ClickException(exc.message) from None
    except SQLAlchemyError as exc:
        first_line = str(exc).splitlines()[0]
        raise click.ClickException(
            f"cannot read the database ({first_line}); is it created (`registry db upgrade`)?"
        ) from None
    finally:
        registry.close()
    if summary is not None:
        click.echo(
            f"exported {summary.records} records"
            f"{f', {summary.deletions} of them deletions' if summary.deletions else ''}"
            f" ({summary.lines} {export_format} lines"
            f"{', header included' if export_format == 'csv' else ''})",
            err=True,
        )


def _run(
    registry: Registry,
    out: TextIO,
    export_format: str,
    since: datetime | None,
    agency: str | None,
    neutralise: bool,
) -> ExportSummary:
    """Write the export to an open text stream."""
    summary = export(registry, out, export_format, since, agency, neutralise)
    if export_format == "csv":
        summary.lines += 1
    return summary


def _to_stdout(
    registry: Registry,
    export_format: str,
    since: datetime | None,
    agency: str | None,
    neutralise: bool,
) -> ExportSummary | None:
    """Stream the export to standard output as UTF-8; stop quietly when the reader goes away."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    try:
        summary = _run(registry, out, export_format, since, agency, neutralise)
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return None
    finally:
        with contextlib.suppress(BrokenPipeError, ValueError):
            out.detach()
    return summary


def _to_file(
    registry: Registry,
    path: Path,
    export_format: str,
    since: datetime | None,
    agency: str | None,
    neutralise: bool,
) -> ExportSummary:
    """Write the export next to path and move it into place only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            summary = _run(registry, out, export_format, since, agency, neutralise)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summary


def _umask() -> int:
    """Return the process umask, so the written file gets the usual permissions."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
