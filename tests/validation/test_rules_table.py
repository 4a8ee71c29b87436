"""The rule table and the code table agree with SPEC: codes, severities, messages in Japanese."""

from __future__ import annotations

import re

from addin.validation.codes import CODES
from addin.validation.fields import SCHEMA_CODES, schema, validator
from addin.validation.rules import BATCH_RULES, RULES

SPEC_CODES = ["unreadable", "wrong_template", "wrong_plan", "wrong_year", "unknown_item", "missing_item",
              "duplicate_item", "required", "invalid_choice", "not_a_number", "out_of_range", "too_long",
              "formula_without_value", "duplicate_submission"]


def test_every_spec_code_and_only_one_extra_warning():
    assert set(CODES) == {*SPEC_CODES, "altered_cell"}
    assert {c for c, v in CODES.items() if v.severity == "warning"} == {"duplicate_submission", "altered_cell"}


def test_rules_use_known_codes_with_their_severity():
    for rule in [*RULES, *BATCH_RULES]:
        assert rule.code in CODES and rule.severity == CODES[rule.code].severity, rule.name
        assert re.search(r"[ぁ-んァ-ン一-龥]", rule.template), rule.name
        assert rule.template.rstrip().endswith(("。", "）")), rule.name
    assert len({r.name for r in RULES}) == len(RULES)


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

    assert [p["title"] for p in schema("entry_row")["properties"].values()] == list(T.INPUT_HEADERS)
    assert [p["title"] for p in schema("kpi_row")["properties"].values()] == list(T.KPI_HEADERS)
    assert set(schema("entry_row")["required"]) >= {"item_id", "status", "grade", "progress"}
