"""The log file keeps the details (tracebacks) that never reach the user."""

from __future__ import annotations

import logging

import hostile
import pytest

from addin import log
from addin.errors import OutputError, UnreadableWorkbook
from addin.xlsx import guard as guard


@pytest.fixture(autouse=True)
def _restore_logger():
    logger = logging.getLogger("addin")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_setup_log_returns_the_file_in_the_output_folder(tmp_path):
    path = log.setup_log(tmp_path / "out")
    assert path == tmp_path / "out" / "reform.log"
    assert path.exists()


def test_a_reader_failure_leaves_its_traceback_in_the_log(tmp_path):
    path = log.setup_log(tmp_path)
    broken = hostile.make_xml_variant(tmp_path, "broken.xlsx", hostile.SHEET, b"<worksheet><sheetData><row>")
    with pytest.raises(UnreadableWorkbook) as exc_info:
        guard.open_workbook(broken)
    assert "Traceback" not in str(exc_info.value)
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "broken.xlsx" in text


def test_a_refusal_is_logged_with_its_reason(tmp_path):
    path = log.setup_log(tmp_path)
    with pytest.raises(UnreadableWorkbook):
        guard.check_xlsx(hostile.make_xxe(tmp_path))
    assert guard.UNSAFE_XML in path.read_text(encoding="utf-8")


def test_setup_twice_adds_one_handler_and_a_new_folder_replaces_it(tmp_path):
    first = log.setup_log(tmp_path / "a")
    log.setup_log(tmp_path / "a")
    logging.getLogger("addin.xlsx.guard").warning("once")
    assert first.read_text(encoding="utf-8").count("once") == 1
    second = log.setup_log(tmp_path / "b")
    logging.getLogger("addin.xlsx.guard").warning("moved")
    assert "moved" not in first.read_text(encoding="utf-8")
    assert "moved" in second.read_text(encoding="utf-8")


def test_an_unwritable_folder_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as exc_info:
        log.setup_log(blocker / "out")
    assert "フォルダ" in exc_info.value.reason or "書き込み" in exc_info.value.reason
