"""The `registry` command line."""

from __future__ import annotations

import click

from registry.cli.agency import agency
from registry.cli.audit import audit_command
from registry.cli.database import db
from registry.cli.dev_es import dev_es
from registry.cli.export import export_command
from registry.cli.importing import import_command
from registry.cli.index import index
from registry.cli.match import match
from registry.cli.serve import serve
from registry.cli.setup import SetupCheckedGroup
from registry.cli.token import token
from registry.cli.worker import worker_command


@click.group(cls=SetupCheckedGroup)
@click.version_option(package_name="av-rights-registry")
def main() -> None:
    """Audiovisual rights metadata registry."""


main.add_command(db)
main.add_command(import_command)
main.add_command(serve)
main.add_command(index)
main.add_command(dev_es)
main.add_command(export_command)
main.add_command(agency)
main.add_command(token)
main.add_command(audit_command)
main.add_command(worker_command)
main.add_command(match)
