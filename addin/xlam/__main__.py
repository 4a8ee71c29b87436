"""``python -m addin.xlam``: refresh the package-data copy ``addin/macros/`` from ``macros/``."""

from __future__ import annotations

from addin.xlam.sources import sync_package_macros

if __name__ == "__main__":
    for copied in sync_package_macros():
        print(copied.name)
