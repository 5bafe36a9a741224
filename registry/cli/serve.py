"""`registry serve`: run the API."""

from __future__ import annotations

import os
import socket
import sys

import click

from registry.app import create_app

DEFAULT_THREADS = min(16, 2 * (os.cpu_count() or 1) + 1)


def ensure_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on (Granian would silently share it)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(
                f"{host}:{port} is already in use ({exc.strerror}); "
                "stop the other server or choose another --port"
            ) from exc


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
@click.option(
    "--threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=int,
    help="Request threads per worker (they mostly wait on Elasticsearch and the database).",
)
@click.option("--access-log", is_flag=True, help="Log every request on standard output.")
@click.option("--dev", is_flag=True, help="Use Flask's development server instead of Granian.")
def serve(host: str, port: int, workers: int, threads: int, access_log: bool, dev: bool) -> None:
    """Serve the API with Granian (--dev: Flask's development server)."""
    ensure_port_free(host, port)
    click.echo(f"Web:      http://{host}:{port}/")
    click.echo(f"API:      http://{host}:{port}/api/v1/works")
    click.echo(f"OpenAPI:  http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"Ready:    http://{host}:{port}/readyz")
    if dev:
        from werkzeug.serving import run_simple

        run_simple(host, port, create_app(), threaded=True, use_reloader=False)
        return
    create_app()  # fail here, with the registry's own message, if the settings are wrong
    args = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--runtime-mode",
        "st",
        "--no-ws",
        *(["--access-log"] if access_log else []),
        "registry.wsgi:app",
    ]
    sys.stdout.flush()
    os.execv(sys.executable, args)
