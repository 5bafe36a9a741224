"""`registry import`: import agency files through the common pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from registry.context import Registry
from registry.errors import RegistryError
from registry.services.imports import BatchReport, run_import
from registry.services.jobs import sweep_stale
from registry.services.write_spool import write_reports_json


@click.command("import")
@click.option(
    "--format",
    "source_format",
    default="auto",
    show_default=True,
    help="Format name, or auto to recognise it from the content.",
)
@click.option("--agency", default=None, help="Agency code (default: the format's agency).")
@click.option("--dry-run", is_flag=True, help="Validate and count without writing.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the batch report as JSON (several files: one list).",
)
@click.option("--no-index", is_flag=True, help="Leave indexing to `registry index sync`.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def import_command(
    source_format: str,
    agency: str | None,
    dry_run: bool,
    report_path: Path | None,
    no_index: bool,
    files: tuple[Path, ...],
) -> None:
    """Import one or more agency files."""
    registry = Registry.from_settings()
    for batch_id in sweep_stale(registry):
        click.echo(
            f"batch {batch_id} of a process that stopped answering is now interrupted", err=True
        )
    console = Console(stderr=True)
    after_commit = None if (no_index or dry_run) else _indexer(registry)
    reports: list[BatchReport] = []
    failed = False
    for path in files:
        try:
            reports.append(
                _import_one(registry, path, source_format, agency, dry_run, after_commit, console)
            )
        except RegistryError as exc:
            failed = True
            click.echo(f"error: {exc.message}", err=True)
    if reports and not dry_run:
        from registry.matching.pipeline import link_after_import

        click.echo(link_after_import(registry, after_commit), err=True)
    if report_path:
        with report_path.open("w", encoding="utf-8") as out:
            write_reports_json(reports, out)  # rejections streamed from their spool
    sys.exit(2 if failed else 0)


def _import_one(registry, path, source_format, agency, dry_run, after_commit, console):  # noqa: ANN001, ANN202
    """Import one file with a progress display on terminals, then print its summary."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(path.name, total=None)
        report = run_import(
            registry,
            path,
            source_format,
            agency,
            dry_run,
            after_commit,
            progress=lambda n: bar.advance(task, n),
        )
    c = report.counts
    click.echo(
        f"{path.name} [{report.source_format}, {report.agency}]"
        f"{' (dry run)' if dry_run else ''}: read {c['read']}, created {c['created']}, "
        f"updated {c['updated']}, unchanged {c['unchanged']}, deleted {c['deleted']}, "
        f"rejected {c['rejected']}; batch {report.batch_id}"
    )
    for label, by_code in (("warning", report.warnings), ("notice", report.notices)):
        if by_code:
            listed = ", ".join(f"{code} {count}" for code, count in sorted(by_code.items()))
            total = sum(by_code.values())
            click.echo(f"  {total} {label}{'' if total == 1 else 's'}: {listed}")
    if after_commit is not None and report.index_pending:
        click.echo(f"  {report.index_pending} works wait for indexing: run `registry index sync`")
    return report


def _indexer(registry: Registry):  # noqa: ANN202
    """Return the after-commit hook that indexes touched works, or None if unavailable."""
    try:
        from registry.search.indexer import index_after_commit
    except ImportError:
        return None
    return lambda ids: index_after_commit(registry, ids)
