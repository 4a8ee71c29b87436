"""Reform-plan progress management: plan model, department workbooks, validation, consolidation.

The core never imports xlwings; the Excel glue lives in :mod:`addin.excel`.
"""

import os as _os

# openpyxl chooses its XML parser once, when it is first imported: make it the
# defused one for this process even if the environment says otherwise.
_os.environ["OPENPYXL_DEFUSEDXML"] = "True"

__version__ = "0.1.0"
