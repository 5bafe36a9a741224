"""Server-rendered pages for people: search, works, availability, parties and imports."""

from registry.web.setup import init_web

__all__ = ["init_web"]
