"""The resources one registry process shares: settings, database and search client."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from elasticsearch import Elasticsearch
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, load_settings
from registry.db import make_engine, make_session_factory
from registry.search.client import make_client


@dataclass
class Registry:
    """Lazily built handles on the database and the search node."""

    settings: Settings

    @classmethod
    def from_settings(cls, overrides: dict | None = None) -> Registry:
        """Build a registry context from defaults, environment and overrides."""
        return cls(load_settings(overrides))

    @cached_property
    def engine(self) -> Engine:
        """Return the database engine."""
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Return the session factory."""
        return make_session_factory(self.engine)

    @cached_property
    def search(self) -> Elasticsearch:
        """Return the Elasticsearch client."""
        return make_client(self.settings.elasticsearch_url, self.settings.es_timeout)

    @property
    def index_prefix(self) -> str:
        """Return the prefix of every index name."""
        return self.settings.index_prefix

    def close(self) -> None:
        """Release connections."""
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "search" in self.__dict__:
            self.search.close()
