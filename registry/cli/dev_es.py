"""`registry dev-es`: run a local Elasticsearch node for development and tests."""

from __future__ import annotations

import json
import time

import click

from registry.devtools.local_es import LocalElasticsearch, LocalElasticsearchError
from registry.devtools.local_es_config import DEFAULT_PORT, DEFAULT_VERSION

port_option = click.option(
    "--port",
    type=click.IntRange(1, 65336),
    default=DEFAULT_PORT,
    show_default=True,
    envvar="REGISTRY_ES_PORT",
    show_envvar=True,
    help="HTTP port on 127.0.0.1.",
)


def _progress(message: str) -> None:
    """Print a progress line on stderr."""
    click.echo(message, err=True)


def _manager(port: int, version: str | None = None) -> LocalElasticsearch:
    """Build the node manager, turning configuration errors into CLI errors."""
    try:
        return LocalElasticsearch(version=version, port=port, progress=_progress)
    except LocalElasticsearchError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("dev-es")
def dev_es() -> None:
    """Manage the local Elasticsearch node used for development, tests and demos."""


@dev_es.command()
@port_option
@click.option(
    "--version",
    "version",
    default=DEFAULT_VERSION,
    show_default=True,
    envvar="REGISTRY_ES_VERSION",
    show_envvar=True,
    help="Elasticsearch version (integ-test-zip from Maven Central).",
)
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for health.")
def start(port: int, version: str, timeout: float) -> None:
    """Start the node, or reuse the one already answering on the port."""
    es = _manager(port, version)
    began = time.monotonic()
    try:
        url = es.start(timeout=timeout)
    except LocalElasticsearchError as exc:
        raise click.ClickException(str(exc)) from exc
    info = es.status()
    how = "reused" if es.reused else f"started in {time.monotonic() - began:.1f} s"
    click.echo(f"Elasticsearch {info['version']} at {url} ({how}, health {info['health']})")
    click.echo(f"  pid file: {es.pid_file}" + (f" (pid {info['pid']})" if info["pid"] else ""))
    click.echo(f"  log file: {es.log_file}")
    click.echo(f"  home:     {es.home}")


@dev_es.command()
@port_option
@click.option("--timeout", default=60.0, show_default=True, help="Seconds before SIGKILL.")
def stop(port: int, timeout: float) -> None:
    """Stop the node started by `dev-es start`."""
    es = _manager(port)
    try:
        stopped = es.stop(timeout=timeout)
    except LocalElasticsearchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Stopped the node on {es.url}." if stopped else f"No node running on {es.url}.")


@dev_es.command()
@port_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(port: int, as_json: bool) -> None:
    """Show whether the node runs; exit with status 1 when it does not."""
    info = _manager(port).status()
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        width = max(len(key) for key in info)
        for key, value in info.items():
            click.echo(f"{key + ':':<{width + 1}} {value}")
    if not info["running"]:
        raise SystemExit(1)


@dev_es.command()
@port_option
def url(port: int) -> None:
    """Print the base URL of the node."""
    click.echo(_manager(port).url)


if __name__ == "__main__":
    dev_es()
