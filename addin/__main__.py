"""``python -m addin`` runs the command line."""

from addin.cli import main

main()
