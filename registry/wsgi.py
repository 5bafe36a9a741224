"""WSGI entry point for production servers: `registry.wsgi:app`."""

from __future__ import annotations

import gc

from registry.app import create_app

app = create_app()
# Vocabularies, schemas and the OpenAPI spec live as long as the process: move them out of
# the collector's generations so collections during requests only walk request garbage.
gc.freeze()
