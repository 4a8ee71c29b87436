"""Checks against last year's record printed on the form (SPEC, "Last year on this year's form").

The form carries 前年度取組状況 and 前年度コメント in grey beside this year's cells, so these
checks need no history: the workbook itself says what last year was.
"""

from __future__ import annotations

from typing import Iterator

from addin.forms import layout as T
from addin.normalize import clean_text, same_text
from addin.validation.issues import Issue

__all__ = ["check_response", "check_copied_status"]


def check_response(rule, ctx) -> Iterator[Issue]:
    """A row whose 前年度コメント holds a comment needs 前年度指摘への対応."""
    for entry, raw in ctx.entries:
        comment, response = raw.cells.get(T.PREV_COMMENT), raw.cells.get(T.RESPONSE)
        if comment is None or response is None or clean_text(comment.value) is None:
            continue
        if clean_text(response.value) is None:
            yield rule.issue(ctx, T.INPUT_SHEET, response.cell, entry.item_id, T.RESPONSE, variant="response")


def check_copied_status(rule, ctx) -> Iterator[Issue]:
    """取組状況 that is last year's text unchanged (spaces aside): the department should write this year's."""
    for entry, raw in ctx.entries:
        previous = raw.cells.get(T.PREV_STATUS)
        if previous is not None and same_text(entry.status, clean_text(previous.value)):
            yield rule.issue(ctx, T.INPUT_SHEET, entry.cells.get("取組状況"), entry.item_id, "取組状況",
                             entry.status, variant="copied_status")
