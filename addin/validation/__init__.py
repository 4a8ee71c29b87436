"""Validation of returned department workbooks: records, fields, rules, issues and the batch."""
