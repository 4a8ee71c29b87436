"""The rule table and the code table agree with SPEC: codes, severities, messages in Japanese."""

from __future__ import annotations

import re

from addin.validation.codes import CODES, make_issue, render, shown
from addin.validation.fields import SCHEMA_CODES, schema, validator
from addin.validation.rules import BATCH_RULES, RULES

# The codes table of SPEC, "Validation" (its warnings marked there), and the one warning this tool adds.
SPEC_ERRORS = {"unreadable", "wrong_template", "wrong_plan", "wrong_year", "unknown_item", "missing_item",
               "duplicate_item", "required", "invalid_choice", "not_a_number", "out_of_range", "too_long",
               "formula_without_value", "extra_row", "unit_mismatch"}
SPEC_WARNINGS = {"duplicate_submission", "plan_changed", "altered_cell", "implausible_value", "kpi_not_reported",
                 "inconsistent"}
OWN_WARNINGS = {"reinterpreted"}  # a typed value read as something else (「順調」→予定どおり, 1,234円 → 1.234 千円)
OWN_ERRORS = {"more_issues"}  # SPEC, "Safety": the issues of a file past the first 1,000, counted in one


def test_codes_are_the_spec_codes_with_their_severity():
    assert set(CODES) - SPEC_ERRORS - SPEC_WARNINGS == OWN_WARNINGS | OWN_ERRORS
    assert SPEC_ERRORS - {"unit_mismatch"} <= set(CODES)
    for code, spec in CODES.items():
        assert spec.severity == ("warning" if code in SPEC_WARNINGS | OWN_WARNINGS else "error"), code


def _japanese_sentences(text: str) -> bool:
    return bool(re.search(r"[ぁ-んァ-ン一-龥]", text)) and text.rstrip().endswith(("。", "）"))


def test_every_template_is_japanese_says_what_to_do_and_renders():
    for code, spec in CODES.items():
        for variant in (None, *spec.variants):
            template = spec.template_for(variant)
            if template == "{reason}":
                continue  # the guard's own refusal texts
            assert _japanese_sentences(template), (code, variant)
            text = render(code, variant, {})
            assert "{" not in text and "}" not in text, (code, variant)


def test_rules_use_known_codes():
    for rule in [*RULES, *BATCH_RULES]:
        assert rule.code in CODES and rule.severity == CODES[rule.code].severity, rule.name
    assert len({r.name for r in RULES}) == len(RULES)


def test_a_message_is_rendered_from_the_issue_not_stored():
    issue = make_issue("out_of_range", "R8_財政課.xlsx", "入力", "G5", "1-(1)-4", "効果額（千円）", "▲100",
                       variant="effect")
    assert issue.text == "「▲100」はマイナスです。効果額は削減・増収できた額を0以上の千円単位で入力してください。"
    assert issue.message == "R8_財政課.xlsx のシート「入力」 セル G5（効果額（千円））: " + issue.text
    assert issue.to_dict()["message"] == issue.message and "details" not in issue.to_dict()
    assert make_issue("too_long", "f.xlsx", length=2001, limit=2000).text == "2,001文字あります。2,000文字以内にまとめてください。"


def test_numbers_are_written_as_people_write_them():
    assert [shown(v) for v in (5600000.0, 1234, 1.234, -100, 0.5, "▲100", None)] == [
        "5,600,000", "1,234", "1.234", "-100", "0.5", "▲100", ""]


def test_row_schemas_are_valid_draft_2020_12_and_versioned():
    for name in ("entry_row", "kpi_row"):
        data = schema(name)
        validator(name)  # checks the schema itself
        assert data["$schema"].endswith("2020-12/schema") and re.search(r":\d+$", data["$id"])
        for prop in data["properties"].values():
            assert prop["x-parse"] and prop["title"]
    assert set(SCHEMA_CODES.values()) <= set(CODES)


def test_entry_schema_titles_are_the_template_headers():
    from addin.forms import layout as T

    assert [p["title"] for p in schema("entry_row")["properties"].values()] == [*T.INPUT_HEADERS, *T.EFFECT_HEADERS, T.RESPONSE]
    assert [p["title"] for p in schema("kpi_row")["properties"].values()] == list(T.KPI_HEADERS)
    assert set(schema("entry_row")["required"]) >= {"item_id", "status", "grade", "progress"}


def test_a_message_cannot_be_passed_in():
    import pytest

    with pytest.raises(TypeError, match="variant"):
        make_issue("required", "f.xlsx", text="自由な文")
