"""Load settings from defaults, an optional mapping, and REGISTRY_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "REGISTRY_"


def _default_instance_path() -> Path:
    """Return the folder holding the local database and reports."""
    return Path(os.environ.get("REGISTRY_INSTANCE_PATH", Path.cwd() / "instance")).resolve()


@dataclass(frozen=True)
class Settings:
    """All settings of one registry process."""

    instance_path: Path = field(default_factory=_default_instance_path)
    database_url: str = ""
    elasticsearch_url: str = ""
    es_port: int = 9200
    index_prefix: str = "registry-"
    es_timeout: float = 10.0
    # Signs search and change cursors; empty: a random secret kept in <instance>/cursor-secret.
    cursor_secret: str = ""
    import_batch_size: int = 500
    # Processes that parse and validate a file (of 1 MiB or more) beside the one writing it;
    # 0 keeps every import in one process (docs/write-path.md).
    import_workers: int = 1
    # Submissions over HTTP, the import worker and rate limits (docs/auth.md).
    max_upload_bytes: int = 512 * 1024 * 1024
    upload_path: str = ""  # default: <instance>/uploads
    job_stale_seconds: float = 120.0
    job_max_attempts: int = 3
    job_poll_seconds: float = 1.0
    # The worker links pending records (its own imports, records PUT over HTTP) when its queue is
    # empty: at once after a file, else at most this often (docs/matching.md); 0 never.
    link_poll_seconds: float = 30.0
    rate_limit_enabled: bool = True
    rate_limit_storage: str = "memory://"
    rate_limit_anonymous: str = "20 per second; 600 per minute"
    rate_limit_authenticated: str = "100 per second"
    # Authority (docs/auth.md): an agency is the primary source of the works of its own country;
    # "AGENCY=CC,CC;AGENCY=*" overrides that. Files imported as ZZ-EXCHANGE by an operator keep
    # the authority their lines state.
    authority_countries: str = "ZZ-EXCHANGE=*"
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uses_local_elasticsearch(self) -> bool:
        """Tell whether the search node is the embedded local one."""
        return not os.environ.get("REGISTRY_ELASTICSEARCH_URL")

    def resolved(self) -> Settings:
        """Fill the defaults that depend on other settings."""
        database_url = self.database_url or f"sqlite:///{self.instance_path / 'registry.sqlite3'}"
        es_url = self.elasticsearch_url or f"http://127.0.0.1:{self.es_port}"
        return replace(self, database_url=database_url, elasticsearch_url=es_url)


def _coerce(value: str, target: Any) -> Any:
    """Convert an environment string to the type of the default value."""
    if isinstance(target, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(target, int):
        return int(value)
    if isinstance(target, float):
        return float(value)
    if isinstance(target, Path):
        return Path(value).resolve()
    return value


def load_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Build settings: defaults, then environment variables, then explicit overrides."""
    base = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "extra":
            continue
        env_value = os.environ.get(ENV_PREFIX + f.name.upper())
        if env_value is not None and env_value != "":
            values[f.name] = _coerce(env_value, getattr(base, f.name))
    for key, value in (overrides or {}).items():
        name = key.lower().removeprefix("registry_")
        if name not in {f.name for f in fields(Settings)}:
            raise ValueError(f"unknown setting {key!r}")
        values[name] = value
    return replace(base, **values).resolved()
