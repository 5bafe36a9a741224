"""Run Alembic migrations programmatically."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from registry.context import Registry

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(registry: Registry) -> Config:
    """Return an Alembic configuration for the registry's database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", registry.settings.database_url.replace("%", "%%"))
    return cfg


def upgrade(registry: Registry, revision: str = "head") -> None:
    """Bring the database schema to the given revision."""
    with registry.engine.begin() as connection:
        cfg = alembic_config(registry)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def revision(registry: Registry, message: str) -> None:
    """Autogenerate a new revision from the models."""
    command.revision(alembic_config(registry), message=message, autogenerate=True)
