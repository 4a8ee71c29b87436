"""The Excel glue: ribbon button → library call → result back in the open workbook.

The only package that uses xlwings, and only inside the functions Excel calls.
"""

from addin.excel.dispatch import BUTTONS, dispatch

__all__ = ["dispatch", "BUTTONS"]
