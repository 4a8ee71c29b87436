"""The department workbook's layout, shared by the generator and the readers.

Changing anything here is a new template version: readers find tables by
header names, so row positions may move, names may not.
"""

from addin.names import file_part

TEMPLATE_VERSION = "2"  # 2: reference columns 担当区分, 今年度の工程, 基準年度, 目標年度, 方向; 記入者, 連絡先

INPUT_SHEET = "入力"
KPI_SHEET = "KPI実績"
GUIDE_SHEET = "記入要領"
META_SHEET = "様式情報"  # very hidden: records what the workbook was made from

INPUT_HEADERS = ("項目ID", "改革項目", "主な取組", "取組状況", "自己評価", "進捗", "効果額（千円）", "今後の課題・方向性")
KPI_HEADERS = ("項目ID", "指標名", "単位", "基準値", "目標値", "実績値", "備考")

# Grey reference columns: context for the department, never read back (readers find tables by the
# headers above and ignore other columns). Their position is the generator's business.
INPUT_ROLE = "担当区分"            # 主担当, or 関係課 with the lead named
INPUT_PHASE = "今年度の工程"        # the 工程 labels whose bar includes this year
KPI_BASELINE_YEAR = "基準年度"
KPI_TARGET_YEAR = "目標年度"
KPI_DIRECTION = "方向"              # 増やす / 減らす
LEAD_ROLE = "主担当"
RELATED_ROLE = "関係課"

# Columns the department fills; all others are fixed by the plan and protected.
INPUT_COLUMNS = ("取組状況", "自己評価", "進捗", "効果額（千円）", "今後の課題・方向性")
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
