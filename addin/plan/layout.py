"""The plan workbook's layout: sheet names and header names (SPEC, "The plan workbook")."""

SETTINGS_SHEET = "設定"
ITEMS_SHEET = "計画"
KPI_SHEET = "KPI"
SCHEDULE_SHEET = "工程"
# Optional sheets of a plan revised during the period (SPEC, "Plan revisions during the period").
YEAR_TARGET_SHEET = "KPI年度目標"
EFFECT_TARGET_SHEET = "効果額目標"
REVISION_SHEET = "改定履歴"

SETTINGS_HEADERS = ("項目", "値")
ITEM_HEADERS = ("項目ID", "重点項目", "取組", "No.", "改革項目", "継続項目", "推進内容", "主な取組", "実施担当")
KPI_HEADERS = ("項目ID", "指標名", "単位", "基準年度", "基準値", "目標年度", "目標値")
ITEM_OPTIONAL = ("状態", "開始年度", "終了年度", "統合先", "再掲元")
KPI_OPTIONAL = ("算定方法", "旧指標名")
SCHEDULE_HEADERS = ("項目ID", "工程", "開始年度", "終了年度")
YEAR_TARGET_HEADERS = ("項目ID", "指標名", "年度", "目標値")
EFFECT_TARGET_HEADERS = ("項目ID", "年度", "目標額（千円）")
REVISION_HEADERS = ("改定日", "適用年度", "項目ID", "区分", "変更前", "変更後", "理由", "決定機関")
OPTIONAL_SHEETS = (YEAR_TARGET_SHEET, EFFECT_TARGET_SHEET, REVISION_SHEET)

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
    "コメントの公表": "publish_comments",
    "バックアップの保存数": "backup_keep",
}
REQUIRED_SETTINGS = ("計画名", "団体名", "開始年度", "終了年度")

# What a 継続項目 cell holds when the item continues from the previous plan.
CONTINUING_MARKS = frozenset({"○", "〇", "◯", "●", "✓", "✔", "継続", "継続項目", "はい", "TRUE", "1", "YES", "Y"})
