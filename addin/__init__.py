"""Reform-plan progress management: plan model, department workbooks, validation, consolidation.

The core never imports xlwings; the Excel glue lives in :mod:`addin.excel`.
"""

__version__ = "0.1.0"
