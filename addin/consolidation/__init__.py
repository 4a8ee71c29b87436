"""Consolidation: the summary of one fiscal year and the history database across years."""
