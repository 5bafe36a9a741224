"""`registry serve`: run the API."""

from __future__ import annotations

import click

from registry.app import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the API with a multi-threaded server."""
    from werkzeug.serving import run_simple

    app = create_app()
    click.echo(f"API:      http://{host}:{port}/api/v1/works")
    click.echo(f"OpenAPI:  http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"Ready:    http://{host}:{port}/readyz")
    run_simple(host, port, app, threaded=True, use_reloader=False)
