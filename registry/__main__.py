"""Run the command line with `python -m registry`."""

from registry.cli import main

main()
