"""The log file: details (tracebacks) for whoever investigates, never shown to the user.

Library code logs to the ``addin`` logger. Importing this module gives that
logger a NullHandler, so nothing falls through to Python's last-resort handler
on stderr; :func:`setup_log` adds the file ``reform.log`` in the output folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from addin.errors import OutputError, explain_os_error

__all__ = ["LOG_NAME", "setup_log"]

LOG_NAME = "reform.log"
_LOGGER = logging.getLogger("addin")
_LOGGER.addHandler(logging.NullHandler())


class _FileHandler(logging.FileHandler):
    """Our handler, so setup_log can replace the one it added before."""

    def handleError(self, record: logging.LogRecord) -> None:
        # A log that cannot be written (a full disk) must not print logging's traceback on the screen.
        pass


def setup_log(out_dir: str | os.PathLike) -> Path:
    """Send the package's log (with tracebacks) to ``out_dir/reform.log`` and return that path."""
    path = Path(out_dir) / LOG_NAME
    for handler in list(_LOGGER.handlers):
        if isinstance(handler, _FileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return path
            _LOGGER.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _FileHandler(path, mode="a", encoding="utf-8", errors="backslashreplace")  # names not UTF-8
    except OSError as exc:
        raise OutputError(path, explain_os_error(exc)) from exc
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    _LOGGER.addHandler(handler)
    if _LOGGER.level == logging.NOTSET or _LOGGER.level > logging.INFO:
        _LOGGER.setLevel(logging.INFO)
    return path
