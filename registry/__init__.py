"""Audiovisual rights metadata registry."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Import the web application only when asked for, so commands start without it."""
    if name == "create_app":
        from registry.app import create_app

        return create_app
    raise AttributeError(name)
