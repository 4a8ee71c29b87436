"""The department workbook's layout, shared by the generator and the readers.

Changing anything here is a new template version: readers find tables by
header names, so row positions may move, names may not.
"""

from addin.names import file_part

TEMPLATE_VERSION = "3"  # 2: reference columns 担当区分, 今年度の工程, 基準年度, 目標年度, 方向; 記入者, 連絡先
# 3: 当年度目標 on KPI実績; 効果額の区分, 確定・見込, 算定根拠, 次年度見込額（千円）; with a history, last
#    year's record (前年度…, R<n>実績) and 前年度指摘への対応

INPUT_SHEET = "入力"
KPI_SHEET = "KPI実績"
GUIDE_SHEET = "記入要領"
META_SHEET = "様式情報"  # very hidden: records what the workbook was made from

INPUT_HEADERS = ("項目ID", "改革項目", "主な取組", "取組状況", "自己評価", "進捗", "効果額（千円）", "今後の課題・方向性")
# Read back when present (forms of version 3 on; earlier forms have none of them).
EFFECT_KIND = "効果額の区分"          # 歳出削減 / 歳入確保; required with an amount
EFFECT_CERTAINTY = "確定・見込"      # 確定 / 見込み; blank is 確定
EFFECT_BASIS = "算定根拠"            # required with an amount
NEXT_YEAR_EFFECT = "次年度見込額（千円）"
EFFECT_HEADERS = (EFFECT_KIND, EFFECT_CERTAINTY, EFFECT_BASIS, NEXT_YEAR_EFFECT)
BASIS_MAX_LENGTH = 400
KPI_HEADERS = ("項目ID", "指標名", "単位", "基準値", "目標値", "実績値", "備考")

# Grey reference columns: context for the department, never read back (readers find tables by the
# headers above and ignore other columns). Their position is the generator's business.
INPUT_ROLE = "担当区分"            # 主担当, or 関係課 with the lead named
INPUT_PHASE = "今年度の工程"        # the 工程 labels whose bar includes this year
KPI_BASELINE_YEAR = "基準年度"
KPI_TARGET_YEAR = "目標年度"
KPI_DIRECTION = "方向"              # 増やす / 減らす
KPI_YEAR_TARGET = "当年度目標"      # from the plan's KPI年度目標
LEAD_ROLE = "主担当"
RELATED_ROLE = "関係課"

# Last year's record (only on a form generated over a history that holds the previous plan year).
PREV_STATUS = "前年度取組状況"
PREV_GRADE = "前年度評価"          # the final grade
PREV_COMMENT = "前年度コメント"     # 事務局コメント and 委員会意見
PREV_NEXT_STEPS = "前年度の今後の課題・方向性"
PREV_EFFECT = "前年度効果額（千円）"
PREVIOUS_COLUMNS = (PREV_STATUS, PREV_GRADE, PREV_COMMENT, PREV_NEXT_STEPS, PREV_EFFECT)
RESPONSE = "前年度指摘への対応"     # input; required where 前年度コメント holds a comment
# Headers read back when present: validation compares 取組状況 with last year's and asks for a
# response where last year had a comment, from the form alone.
OPTIONAL_INPUT_HEADERS = (*EFFECT_HEADERS, PREV_STATUS, PREV_COMMENT, RESPONSE)


def kpi_actual_header(year_label: str) -> str:
    """``R8実績``: the grey column of an earlier year's actual on KPI実績."""
    return f"{year_label}実績"


# Columns the department fills; all others are fixed by the plan and protected.
INPUT_COLUMNS = ("取組状況", "自己評価", "進捗", "効果額（千円）", "今後の課題・方向性", *EFFECT_HEADERS)
KPI_INPUT_COLUMNS = ("実績値", "備考")
REQUIRED_INPUT_COLUMNS = ("取組状況", "自己評価", "進捗")
REQUIRED_KPI_COLUMNS: tuple[str, ...] = ()

HEADER_ROW = 4  # 1-based; rows above hold the title and the count of what is left
STATUS_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 2000

# 様式情報 rows (label in column A, value in column B).
META_PLAN_NAME = "計画名"
META_FINGERPRINT = "計画識別子"
META_DEPARTMENT = "担当課"
META_YEAR = "年度"
META_VERSION = "様式版"
META_CREATED = "作成日時"
META_MUNICIPALITY = "団体名"  # added later: forms without it are still read (wrong_plan then compares 計画名 only)
META_KEYS = (META_PLAN_NAME, META_FINGERPRINT, META_DEPARTMENT, META_YEAR, META_VERSION, META_CREATED,
             META_MUNICIPALITY)


def workbook_name(year_label: str, department: str, tagged: bool = False) -> str:
    """``R8_財政課.xlsx``; the department as a safe file-name part (addin.names)."""
    return f"{year_label}_{file_part(department, tagged=tagged)}.xlsx"
