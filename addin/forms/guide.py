"""The sheets around the tables: 記入要領 (instructions), the very hidden 様式情報 (what the form was made from),
and the page header every printed page of the form carries."""

from __future__ import annotations

import datetime as _dt
from datetime import datetime

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from addin.fiscal import format_fiscal_year, format_fiscal_year_long, japanese_date
from addin.forms import layout as T
from addin.forms.cells import LINE_HEIGHT, fixed, visible_lines
from addin.plan.model import Plan
from addin.vocab import SETTING_NOT_SET
from addin.xlsx.styles import (
    BODY_FONT,
    BOLD_FONT,
    SECTION_FILL,
    SUBTITLE_FONT,
    THIN_BORDER,
    TITLE_FONT,
    WRAP_TOP,
    protect_sheet,
    restyle,
    set_widths,
    setup_print,
    text_lines,
)

__all__ = ["build_guide_sheet", "build_meta_sheet", "print_header", "guide_fields", "GUIDE_FIELDS"]


_GUIDE_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("記入のしかた", [
        ("入力するセル", "黄色のセルに入力してください。灰色のセル（項目ID・改革項目・主な取組、KPIの指標名・基準値・目標値）は"
                         "計画で定められた内容で、保護されているため変更できません。"),
        ("未入力の表示", "オレンジ色のセルは、必須項目で未入力（空白だけのものを含む）か、一覧にない値のセルです。"
                         "正しく入力すると色が消えます。「入力」シート上部の「未入力・入力誤り N 件」はその件数で、"
                         "KPI実績シートの空欄の実績値も数えます。「提出できます」と表示されたら提出してください。"),
        ("取組状況（必須）", f"当該年度に実施した取組の内容と成果・効果を、できるだけ具体的に（件数・金額・割合など）記入してください。"
                             f"{T.STATUS_MAX_LENGTH:,}字以内。セル内の改行は Alt＋Enter（Mac は option＋return）。"),
        ("行の高さ", "行の高さは様式を作成したときの内容に合わせてあります。入力した文章が隠れたら、行番号の下の境界線を"
                     "ダブルクリックすると高さが合います（行の高さの変更は構いません）。Excel の行の高さには上限があり、"
                     f"1つのセルでおよそ{visible_lines()}行を超える部分は画面にも印刷にも表示されません"
                     "（入力した内容は残り、集約されます。全文は数式バーで確認できます）。"
                     "そのようなセルは文字が赤色になります。"),
        ("自己評価（必須）", "下の「自己評価の基準」により A・B・C・- のいずれかを一覧から選んでください。"),
        ("進捗（必須）", f"「{T.INPUT_PHASE}」に示した工程表の今年度の予定に対する進み具合を一覧から選んでください。"),
        ("担当区分・今年度の工程", f"「{T.INPUT_ROLE}」は、この課が{T.LEAD_ROLE}か{T.RELATED_ROLE}か（{T.RELATED_ROLE}の場合は{T.LEAD_ROLE}の課）を、"
                                   f"「{T.INPUT_PHASE}」は工程表のうち今年度に当たる工程を示します（いずれも変更できません）。"),
        ("記入者・連絡先（任意）", "「入力」シート上部に、記入した方の氏名と連絡先（内線など）を入力してください。"),
        ("効果額（千円）（任意）", "取組による経費の削減額・収入の増加額を千円単位で記入してください。"
                                   "1,234　１，２３４　1234千円　123万円（=1,230千円）　1億5千万円（=150,000千円）のいずれの書き方でも読み取れます。"
                                   "効果額がない、又は算定できない場合は空欄のままにしてください。マイナスは入力できません。"),
        ("今後の課題・方向性（任意）", "取組を進める上での課題と、次年度以降の方向性を記入してください。"),
        ("前年度の記録", "2年目以降の様式には、前年度に各課が記入した取組状況・評価（確定したもの）・事務局や委員会のコメント・"
                         "今後の課題・効果額と、KPIの前年度までの実績が灰色の列で表示されます（変更できません）。"
                         "担当が替わった項目は前の担当課の記入を【前担当：○○課】として、今年度からの項目は（新規項目）と表示します。"
                         "取組状況は前年度の文をそのまま使わず、今年度に実施した内容を記入してください。"),
        (f"{T.RESPONSE}（該当する行は必須）", "「前年度コメント」に事務局・委員会のコメントがある行は黄色になります。"
                                           "指摘に今年度どう対応したかを記入してください。"),
    ]),
    ("自己評価の基準", [
        ("A", "取組により現れた成果・効果が増大している（数値目標がある取組で、数値が積み重なっている場合を含む）。"),
        ("B", "以前と同様の成果・効果である（現状維持）。"),
        ("C", "実施した取組の効果が薄い、又は取組内容に疑義がある（取組内容の見直しを検討してください）。"),
        ("-", "評価対象外（当該年度は取組を実施していない、工程表で実施時期に当たらない など）。"),
        ("一覧にない値", "自己評価・進捗は一覧から選んでください。一覧にない値は入力できません（メッセージが出たら「再試行」か"
                         "「キャンセル」を選び、一覧から選び直してください）。"),
    ]),
    ("進捗の区分", [
        ("予定どおり", "工程表の予定どおりに進んでいる。"),
        ("前倒し", "予定より早く進んでいる。"),
        ("遅れ", "予定より遅れている（取組状況に理由と今後の見通しを記入してください）。"),
        ("未着手", "まだ取組に着手していない。"),
        ("完了", "取組が完了した。"),
    ]),
    ("KPI実績シート", [
        ("対象", "この課が主担当（実施担当の最初に記載された課）である改革項目のKPIです。報告するKPIがない課は入力不要です。"),
        ("実績値", "基準値・目標値と同じ単位で当該年度の実績を入力してください。数値は 1,234 や １，２３４ でも構いません。"
                   "基準年度・目標年度・方向（増やす／減らす）は計画で定められた内容です。"),
        ("％の指標", "単位が「%」の指標は、26 と入力しても 26% と入力しても 26% として扱います。"),
        ("備考", "実績値が未確定の場合はその理由と確定時期を記入してください。"),
    ]),
    ("注意事項", [
        ("変更しないこと", "シート名の変更、シートや行・列の追加・削除、灰色のセルの変更はしないでください。"
                           "集約の際に読み取れなくなります（行の高さ・列の幅の変更は構いません）。"),
        ("ファイル", "ファイル名と保存形式（.xlsx）はそのままで提出してください。マクロは含まれていません。"),
        ("コピー・貼り付け", "他のファイルから貼り付けるときは「値の貼り付け」を使ってください（書式や入力規則が消えないように）。"),
    ]),
]

# What the secretariat tells every department, from the plan's 設定 sheet (label on the form, Settings field).
GUIDE_FIELDS = (("提出期限", "deadline"), ("提出先", "submit_to"), ("問合せ先（事務局）", "contact"))


def _setting_text(value: object) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return japanese_date(value, weekday=True)
    text = "" if value is None else str(value).strip()
    return text or SETTING_NOT_SET


def guide_fields(plan: Plan) -> list[tuple[str, str]]:
    """(label, text) of 提出期限, 提出先 and 問合せ先 as the form shows them (a visible blank when 設定 has none)."""
    return [(label, _setting_text(getattr(plan.settings, name, None))) for label, name in GUIDE_FIELDS]


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a lone & starts a header code


def print_header(ws: Worksheet, plan: Plan, department: str, year: int) -> None:
    """Every printed page says whose form it is and which page: a loose page 2 still belongs to its department."""
    ws.oddHeader.left.text = _header_text(f"{format_fiscal_year_long(year)} {plan.settings.plan_name} 取組状況調書")
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = _header_text(department)
    ws.oddHeader.right.size = 11
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.right.text = _header_text(f"{department}　{ws.title}")
    ws.oddFooter.right.size = 9


_GRADE_LABEL = Alignment(horizontal="center", vertical="top", wrap_text=True)  # A, B, C, -
_GUIDE_LABEL = Alignment(horizontal="left", vertical="top", wrap_text=True)


def build_guide_sheet(ws: Worksheet, plan: Plan, department: str, year: int) -> None:
    """記入要領: how to fill the form, the grading criteria and the progress values."""
    ws["A1"] = f"記入要領　{format_fiscal_year_long(year)} {plan.settings.plan_name} 取組状況調書"
    ws["A1"].font = TITLE_FONT
    ws.row_dimensions[1].height = 24
    ws["A2"] = (f"担当課：{department}　／　計画期間：{plan.period_label}　／　"
                f"報告年度：{format_fiscal_year_long(year)}（{format_fiscal_year(year)}）")
    ws["A2"].font = SUBTITLE_FONT
    row = 4
    for label, text in guide_fields(plan):
        fixed(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = BOLD_FONT
        fixed(ws.cell(row=row, column=2), text)
        ws.cell(row=row, column=2).font = SUBTITLE_FONT
        ws.row_dimensions[row].height = max(20.0, text_lines(text, 96) * LINE_HEIGHT + 5)
        row += 1
    row += 1
    for heading, entries in _GUIDE_SECTIONS:
        ws.cell(row=row, column=1, value=heading)
        for col in (1, 2):
            restyle(ws.cell(row=row, column=col), fill=SECTION_FILL, border=THIN_BORDER,
                    **({"font": SUBTITLE_FONT} if col == 1 else {}))
        ws.row_dimensions[row].height = 20
        row += 1
        for label, text in entries:
            head, body = ws.cell(row=row, column=1, value=label), ws.cell(row=row, column=2, value=text)
            restyle(head, font=BOLD_FONT, border=THIN_BORDER,
                    alignment=_GRADE_LABEL if len(label) == 1 else _GUIDE_LABEL)
            restyle(body, font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
            ws.row_dimensions[row].height = max(text_lines(text, 96), text_lines(label, 24)) * LINE_HEIGHT + 5
            row += 1
        row += 1
    set_widths(ws, {"A": 24, "B": 96})
    setup_print(ws, landscape=False)
    protect_sheet(ws)


def build_meta_sheet(ws: Worksheet, plan: Plan, department: str, year: int, created: datetime) -> None:
    """様式情報 (very hidden: only the object model shows it): the plan, its fingerprint, the department, the year and the form version."""
    values = {
        T.META_PLAN_NAME: plan.settings.plan_name,
        T.META_FINGERPRINT: plan.fingerprint,
        T.META_DEPARTMENT: department,
        T.META_YEAR: format_fiscal_year(year),
        T.META_VERSION: T.TEMPLATE_VERSION,
        T.META_CREATED: created.strftime("%Y-%m-%d %H:%M:%S"),
        T.META_MUNICIPALITY: plan.settings.municipality,
    }
    for row, key in enumerate(T.META_KEYS, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=values[key])
    set_widths(ws, {"A": 14, "B": 40})
    ws.sheet_state = "veryHidden"
    protect_sheet(ws)
