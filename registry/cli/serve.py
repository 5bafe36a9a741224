"""`registry serve`: run the API."""

from __future__ import annotations

import os
import sys

import click

from registry.app import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--dev", is_flag=True, help="Use Flask's development server instead of gunicorn.")
def serve(host: str, port: int, threads: int, dev: bool) -> None:
    """Serve the API (gunicorn, one process with threads; --dev for the development server)."""
    app = create_app()
    click.echo(f"API:      http://{host}:{port}/api/v1/works")
    click.echo(f"OpenAPI:  http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"Ready:    http://{host}:{port}/readyz")
    if dev or sys.platform == "win32":
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True, use_reloader=False)
        return
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "registry.app:create_app()",
    ]
    sys.stdout.flush()
    os.execv(sys.executable, args)
