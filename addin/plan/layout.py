"""The plan workbook's layout: sheet names and header names (SPEC, "The plan workbook")."""

SETTINGS_SHEET = "設定"
ITEMS_SHEET = "計画"
KPI_SHEET = "KPI"
SCHEDULE_SHEET = "工程"

SETTINGS_HEADERS = ("項目", "値")
ITEM_HEADERS = ("項目ID", "重点項目", "取組", "No.", "改革項目", "継続項目", "推進内容", "主な取組", "実施担当")
KPI_HEADERS = ("項目ID", "指標名", "単位", "基準年度", "基準値", "目標年度", "目標値")
KPI_OPTIONAL = ("算定方法",)
SCHEDULE_HEADERS = ("項目ID", "工程", "開始年度", "終了年度")

# 設定 rows: label -> Settings field.
SETTING_ROWS = {
    "計画名": "plan_name",
    "団体名": "municipality",
    "開始年度": "start_year",
    "終了年度": "end_year",
    "報告年度": "report_year",
    "提出フォルダ": "submit_folder",
    "出力フォルダ": "output_folder",
    "提出期限": "deadline",
    "提出先": "submit_to",
    "問合せ先": "contact",
}
REQUIRED_SETTINGS = ("計画名", "団体名", "開始年度", "終了年度")

# What a 継続項目 cell holds when the item continues from the previous plan.
CONTINUING_MARKS = frozenset({"○", "〇", "◯", "●", "✓", "✔", "継続", "継続項目", "はい", "TRUE", "1", "YES", "Y"})
