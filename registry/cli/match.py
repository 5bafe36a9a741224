"""`registry match`: train the linkage model, link, review and decide."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from registry.context import Registry
from registry.errors import RegistryError


def _run(action: Callable[[], Any]) -> Any:
    """Run an action; a registry error becomes one line on stderr and exit status 2."""
    try:
        return action()
    except RegistryError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)


@click.group()
def match() -> None:
    """Link records of one work across registries."""


@match.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: the versioned model in the package).",
)
def train(output: Path | None) -> None:
    """Refit the model on the registry's own data (EM, no labels) and save it."""
    from registry.matching.features import load_units, to_arrow
    from registry.matching.model import save_model
    from registry.matching.model import train as fit

    registry = Registry.from_settings()
    with registry.sessions() as session:
        table = to_arrow(load_units(session).values())
    if table.num_rows < 2:
        click.echo("error: not enough works with titles to train on", err=True)
        sys.exit(2)
    path = save_model(fit(table), output)
    click.echo(f"trained on {table.num_rows} works; model written to {path}")


@match.command()
def rebuild() -> None:
    """Split placeholder merges and link everything again (people's decisions stay)."""
    from registry.matching.pipeline import rebuild as run

    result = _run(lambda: run(Registry.from_settings()))
    click.echo(
        f"compared {result['units']} works: {result['linked_pairs']} linked pairs, "
        f"{result['review_pairs']} for review, {result['placeholder_works']} works split apart "
        f"from placeholders; {result['works_touched']} works changed (model {result['model']})"
    )


@match.command("run")
def run_pending() -> None:
    """Link the records imported or changed since the last run."""
    from registry.matching.pipeline import link_pending

    touched = _run(lambda: link_pending(Registry.from_settings()))
    click.echo(f"{len(touched)} works changed")


@match.command()
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def review(limit: int, as_json: bool) -> None:
    """List candidate pairs waiting for a decision, strongest first."""
    from registry.matching.decisions import review_queue

    registry = Registry.from_settings()
    with registry.sessions() as session:
        rows = review_queue(session, limit)
    if as_json:
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for row in rows:
        parts = ", ".join(
            f"{e['comparison']}: {e['level']}"
            for e in row["explanation"]
            if e["level"] != "missing"
        )
        click.echo(
            f"{row['work_a']} ~ {row['work_b']}  weight {row['match_weight']:.2f}  ({parts})"
        )
    if not rows:
        click.echo("nothing waits for review")


@match.command()
@click.argument("work_a", type=int)
@click.argument("work_b", type=int)
@click.option("--note", default=None, help="Why.")
def link(work_a: int, work_b: int, note: str | None) -> None:
    """Decide that two works are one (later runs keep it)."""
    from registry.matching.decisions import link as decide

    registry = Registry.from_settings()
    with registry.sessions() as session:
        survivor = _run(lambda: decide(session, work_a, work_b, _actor(), note))
    click.echo(f"works {work_a} and {work_b} are now work {survivor}")


@match.command()
@click.argument("work_id", type=int)
@click.option("--record", "record_key", default=None, help="Only this record's origin leaves.")
@click.option("--note", default=None, help="Why.")
def split(work_id: int, record_key: str | None, note: str | None) -> None:
    """Take a linked work apart (later runs keep it apart)."""
    from registry.matching.decisions import split as decide

    registry = Registry.from_settings()
    with registry.sessions() as session:
        works = _run(lambda: decide(session, work_id, _actor(), record_key, note))
    click.echo(f"work {work_id} is now works {', '.join(map(str, works))}")


def _actor() -> str:
    """Return who decides from the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
