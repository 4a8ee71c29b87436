"""Build the Excel add-in (.xlam) from text sources, with no Excel: VBA compression, compound file, package."""

from addin.xlam.build import build_addin
from addin.xlam.sources import AddinBuildError

__all__ = ["build_addin", "AddinBuildError"]
