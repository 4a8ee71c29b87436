"""Every set of words the product uses, defined once.

The forms' dropdowns, the JSON Schemas, the normalizers and the reports all
take their words from here; ``tests/test_vocab.py`` ties the schema enums and
the form's lists to these tuples so they cannot drift apart again.
"""

__all__ = [
    "GRADES", "GRADE_RANK", "PROGRESS", "PROGRESS_SYNONYMS", "PROGRESS_ATTENTION", "PERCENT_UNITS",
    "PERCENT_SUFFIXES", "MONEY_UNITS", "ERAS", "ERA_LETTERS", "SUBMITTED", "SENT_BACK", "NOT_SUBMITTED",
    "RUN_SUMMARY_LABELS", "SETTING_NOT_SET", "ITEM_STATES", "EFFECT_KINDS", "EFFECT_REDUCTION", "EFFECT_REVENUE", "EFFECT_CERTAINTIES", "EFFECT_CONFIRMED",
    "EFFECT_ESTIMATED", "ITEM_STATE_DEFAULT", "ITEM_STATE_NEW", "ITEM_STATE_DONE", "ITEM_STATES_ENDED",
    "ITEM_STATE_MERGED", "ITEM_STATE_PAUSED", "REVISION_KINDS", "YES", "NO",
]

# 自己評価 / 事務局評価 / 委員会評価. ``-`` is 評価対象外 and has no rank.
GRADES = ("A", "B", "C", "-")

# A yes/no setting of 設定 (コメントの公表).
YES, NO = "する", "しない"
GRADE_RANK = {"A": 3, "B": 2, "C": 1}  # lower is worse

# 進捗, in the order the form's dropdown offers them.
PROGRESS = ("予定どおり", "前倒し", "遅れ", "未着手", "完了")
# What clerks actually type for the same progress value.
PROGRESS_SYNONYMS = {"予定通り": "予定どおり", "予定とおり": "予定どおり", "順調": "予定どおり",
                     "前倒": "前倒し", "遅延": "遅れ", "遅れている": "遅れ", "未実施": "未着手", "完了済": "完了",
                     "完了済み": "完了"}
# When departments disagree, an item shows the progress that needs attention most (first here).
PROGRESS_ATTENTION = ("遅れ", "未着手", "予定どおり", "前倒し", "完了")

# A KPI whose 単位 is one of these is a percent KPI: 26, 26% and a %-formatted 0.26 all mean 26 %.
PERCENT_UNITS = ("%", "％", "パーセント")
# What may follow a number typed into a percent cell (after width folding).
PERCENT_SUFFIXES = ("", "%", "パーセント", "ポイント")

# A KPI whose 単位 is one of these is a money KPI: its actual is read in that unit, and an amount typed with
# a unit (182,000千円, 1億8,200万円, 182000000円) is converted to it. Value: yen per unit.
MONEY_UNITS = {"円": 1, "千円": 10**3, "万円": 10**4, "百万円": 10**6, "億円": 10**8}

# 効果額の区分 and 確定・見込 of a department's 効果額 (a blank 確定・見込 is 確定).
EFFECT_KINDS = ("歳出削減", "歳入確保")
EFFECT_REDUCTION, EFFECT_REVENUE = EFFECT_KINDS
EFFECT_CERTAINTIES = ("確定", "見込み")
EFFECT_CONFIRMED, EFFECT_ESTIMATED = EFFECT_CERTAINTIES

# 状態 of a plan item (計画 sheet); an item without one continues (継続).
ITEM_STATES = ("継続", "新規", "完了", "廃止", "統合", "休止")
ITEM_STATE_DEFAULT = "継続"
ITEM_STATE_NEW = "新規"
ITEM_STATE_DONE = "完了"
ITEM_STATE_MERGED = "統合"
ITEM_STATE_PAUSED = "休止"  # not reported while paused, whatever its years say
ITEM_STATES_ENDED = ("完了", "廃止", "統合")  # these need an 終了年度: the last year the item is reported
# 区分 of a 改定履歴 row.
REVISION_KINDS = ("追加", "廃止", "完了", "統合", "内容変更", "担当課変更", "KPI追加", "目標値変更", "工程変更")

# Era name → the Western year before its first year (令和1 = 2019).
ERAS = {"令和": 2018, "平成": 1988}
ERA_LETTERS = {"R": "令和", "H": "平成"}

# A department's state in 取組状況一覧 and 提出状況. A rejected file is sent back: never 未提出.
# Marks a plan may write after a department in 実施担当 (人事行政課（主）): the role, not part of the name.
DEPARTMENT_ROLE_MARKS = ("主", "副", "主管", "主担当", "関係")

SUBMITTED = "提出済"
SENT_BACK = "要修正（差戻し中）"
NOT_SUBMITTED = "未提出"

# The counts of a validation run, as every sheet and the ribbon's 実行結果 label them.
RUN_SUMMARY_LABELS = (("files", "ファイル数"), ("ok", "正常"), ("invalid", "要修正"), ("unreadable", "読めない"),
                      ("errors", "エラー件数"), ("warnings", "警告件数"))

# A 設定 row the forms and letters need (提出期限, 提出先, 問合せ先) that the plan leaves blank: shown, never a gap.
SETTING_NOT_SET = "（設定シートに未記入）"
