"""What every command does first: say which database and index it uses, and check the schema.

A setup mistake (no database yet, a schema behind the code, an unreachable server, a bad
setting) ends in one line on stderr that says what to run, and exit status 2: never a
traceback, and never an empty database created where nobody asked for one.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, ProgrammingError

from config import Settings, load_settings

SETUP_EXIT = 2
CREATES_DATABASE = {("db", "upgrade")}
NEEDS_NO_DATABASE = {("dev-es",)}
SETUP_ERRORS = (OperationalError, ProgrammingError, InterfaceError)


class SetupError(click.ClickException):
    """A mistake in how the registry is set up, told in one line with what to run."""

    exit_code = SETUP_EXIT

    def show(self, file: Any = None) -> None:
        """Print the one-line explanation on stderr."""
        click.echo(f"error: {self.format_message()}", err=True)


def safe_url(url: str) -> str:
    """Return a database URL with its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def command_settings() -> Settings:
    """Load the settings a command runs with, refusing a bad one in one line."""
    try:
        return load_settings().resolved()
    except (ValueError, TypeError) as exc:
        raise SetupError(f"a REGISTRY_ setting is not valid: {exc}") from None


def announce(settings: Settings) -> None:
    """Say on stderr which database and search index the command uses."""
    from registry.search.management import alias_name

    click.echo(
        f"registry: database {safe_url(settings.database_url)}; "
        f"index {alias_name(settings.index_prefix)} at {settings.elasticsearch_url}",
        err=True,
    )


def sqlite_file(url: str) -> Path | None:
    """Return the file of a SQLite database URL, None for other databases or memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def check_database(settings: Settings) -> None:
    """Refuse to run on a database that is missing, unreachable or behind the code's schema."""
    url = settings.database_url
    where = safe_url(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise SetupError(
            f"no database at {path}: run `registry db upgrade` to create it there, or point "
            f"REGISTRY_INSTANCE_PATH (or REGISTRY_DATABASE_URL) at an existing one"
        )
    current, head = schema_revisions(url)
    if current == head:
        return
    if current is None:
        raise SetupError(
            f"the database at {where} has no registry tables: run `registry db upgrade`"
        )
    raise SetupError(
        f"the database at {where} is at schema revision {current}, this registry needs {head}: "
        f"run `registry db upgrade`"
    )


def schema_revisions(url: str) -> tuple[str | None, str | None]:
    """Return the database's schema revision and the newest one the code knows."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from registry.migrate import MIGRATIONS

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SETUP_ERRORS as exc:
        raise SetupError(
            f"cannot open the database at {safe_url(url)}: {_first_line(exc)}"
        ) from None
    finally:
        engine.dispose()
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    return current, head


def _first_line(exc: BaseException) -> str:
    """Return the first line of an error's message, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


def with_setup(callback: Callable[..., Any], creates: bool) -> Callable[..., Any]:
    """Wrap a command so it announces, checks the database first and explains setup errors."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        settings = command_settings()
        announce(settings)
        if not creates:
            check_database(settings)
        try:
            return callback(*args, **kwargs)
        except SETUP_ERRORS as exc:
            raise SetupError(
                f"the database at {safe_url(settings.database_url)} refused the command: "
                f"{_first_line(exc)} (is `registry db upgrade` needed?)"
            ) from None

    return run


def guarded(command: click.Command, path: tuple[str, ...]) -> click.Command:
    """Return a copy of a command (or group) whose commands run after the setup checks."""
    if path in NEEDS_NO_DATABASE:
        return command
    clone = copy.copy(command)
    if isinstance(command, click.Group):
        clone.commands = {
            name: guarded(sub, (*path, name)) for name, sub in command.commands.items()
        }
    elif command.callback is not None:
        clone.callback = with_setup(command.callback, path in CREATES_DATABASE)
    return clone


class SetupCheckedGroup(click.Group):
    """The top-level group: every command it runs is checked for a usable setup first."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the named command wrapped in the setup checks."""
        command = super().get_command(ctx, cmd_name)
        return guarded(command, (cmd_name,)) if command is not None else None
