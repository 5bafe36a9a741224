"""`registry agency`, `registry token` and `registry audit` on a real database."""

from __future__ import annotations

import json

from click.testing import CliRunner

from registry.auth.tokens import authenticate_token
from registry.cli import main


def _run(registry, monkeypatch, *args: str):  # noqa: ANN001, ANN202
    monkeypatch.setenv("REGISTRY_DATABASE_URL", registry.settings.database_url)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(registry.settings.instance_path))
    return CliRunner().invoke(main, list(args))


def test_tokens_are_issued_listed_and_revoked_and_every_change_is_audited(registry, monkeypatch):
    added = _run(
        registry, monkeypatch, "agency", "add", "PY-INC", "--country", "py", "--name", "INC"
    )
    assert added.exit_code == 0, added.output
    again = _run(registry, monkeypatch, "agency", "add", "PY-INC", "--country", "PY", "--name", "x")
    assert again.exit_code == 2 and "already exists" in again.output

    created = _run(
        registry,
        monkeypatch,
        "token",
        "create",
        "--agency",
        "PY-INC",
        "--role",
        "submitter",
        "--name",
        "inc-sync",
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("avr_") and " " not in secret
    principal = authenticate_token(registry, secret)
    assert (principal.agency, principal.role, principal.token_name) == (
        "PY-INC",
        "submitter",
        "inc-sync",
    )

    listed = _run(registry, monkeypatch, "token", "list")
    assert "inc-sync\tPY-INC\tsubmitter\tactive" in listed.output and secret not in listed.output

    assert _run(registry, monkeypatch, "token", "revoke", "inc-sync").exit_code == 0
    assert authenticate_token(registry, secret) is None
    assert "revoked" in _run(registry, monkeypatch, "token", "list", "--agency", "PY-INC").output
    assert _run(registry, monkeypatch, "token", "revoke", "nope").exit_code == 2

    unknown = _run(
        registry, monkeypatch, "token", "create", "--agency", "XX-NONE", "--role", "admin"
    )
    assert unknown.exit_code == 2 and "unknown agency" in unknown.output

    log = _run(registry, monkeypatch, "audit", "--json")
    rows = [json.loads(line) for line in log.output.splitlines() if line.startswith("{")]
    assert [(r["action"], r["target"]) for r in rows] == [
        ("agency.add", "PY-INC"),
        ("token.create", "inc-sync"),
        ("token.revoke", "inc-sync"),
    ]
    assert all(r["actor"].startswith("cli:") for r in rows)
