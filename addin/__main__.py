"""``python -m addin`` runs the command line."""

from .cli import main

main()
