"""The sheets of the consolidated report, one module per sheet; :mod:`addin.report` assembles them."""
