"""Fixtures of the agency-facing tests: tokens per agency and role, an app with its client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from registry.app import create_app
from registry.auth.tokens import create_token
from registry.context import Registry
from registry.services.agencies import ensure_agency

AGENCIES = ("AR-INCAA", "UY-ACAU")
ROLES = ("submitter", "reviewer", "admin")
SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@dataclass
class Clients:
    """An app's test client and a token for every (agency, role)."""

    registry: Registry
    client: object
    tokens: dict[tuple[str, str], str]

    def headers(self, agency: str | None, role: str | None) -> dict[str, str]:
        """Return the Authorization header of a caller, none for anonymous."""
        if agency is None or role is None:
            return {}
        return {"Authorization": f"Bearer {self.tokens[(agency, role)]}"}


def issue_tokens(registry: Registry) -> dict[tuple[str, str], str]:
    """Create one token per agency and role."""
    tokens = {}
    with registry.sessions() as session:
        for agency in AGENCIES:
            ensure_agency(session, agency)
            for role in ROLES:
                tokens[(agency, role)] = create_token(session, agency, role).secret
        session.commit()
    return tokens


@pytest.fixture
def clients(registry: Registry) -> Iterator[Clients]:
    """Return an app without rate limits, its client and tokens."""
    reg = Registry(replace(registry.settings, rate_limit_enabled=False))
    tokens = issue_tokens(reg)
    app = create_app(registry=reg)
    yield Clients(reg, app.test_client(), tokens)
    reg.close()


def exchange_line(key: str, title: str, agency: str | None = None, year: int = 2020) -> str:
    """Return one exchange line stating a small work."""
    envelope = {
        "format": "av-registry-exchange/1",
        "key": key,
        "work": {
            "work_type": "movie",
            "year": year,
            "countries_of_origin": ["AR"],
            "titles": [{"text": title, "language": "es", "kind": "original"}],
        },
    }
    if agency:
        envelope["origin"] = {"agency": agency}
    return json.dumps(envelope, ensure_ascii=False)
