"""A validation issue: a problem in the data, kept as a value (never raised).

An issue keeps its code, place, value as typed and details; its message is
rendered from the template table of :mod:`addin.validation.codes` when shown.
The class is defined there, beside that table (so an issue renders itself
without an import cycle); this module is where the rest of the package imports it from.
"""

from __future__ import annotations

from addin.validation.codes import ERROR, WARNING, Issue, make_issue

__all__ = ["Issue", "ERROR", "WARNING", "make_issue"]
