"""Why a file is refused, in Japanese, with what to do: the reasons the guard gives."""

from __future__ import annotations

__all__ = ["Refusal", "MISSING", "NOT_A_FILE", "NO_ACCESS", "EMPTY", "XLS", "XLS_ENCRYPTED", "ENCRYPTED", "OTHER_OLE", "XLSB", "ODS", "OTHER_OFFICE", "PDF", "TEXT", "NOT_XLSX", "NOT_OOXML", "CORRUPT", "TOO_LARGE", "BOMB", "UNSAFE_XML", "UNSUPPORTED", "PARSE", "OUT_OF_MEMORY", "FAR_CELL", "AT_CELL", "AT_ROW"]

_AFTER_SAVE = "Excel で開けるか確認し、「名前を付けて保存」から .xlsx 形式で保存し直してください。"
_ASK_SENDER = "提出元に確認し、Excel で保存し直したファイルを提出してもらってください。"

MISSING = "ファイルが見つかりません。ファイル名と保存場所を確認してください。"
NOT_A_FILE = "ファイルではありません（フォルダなど）。Excel ファイル（.xlsx）を指定してください。"
NO_ACCESS = "ファイルを開けません。読み取りの権限があるか、ほかのアプリで使用中でないかを確認してください。"
EMPTY = "ファイルが空です（0 バイト）。保存に失敗した可能性があります。元のファイルをもう一度保存して提出し直してください。"
XLS = "Excel 97-2003 形式（.xls）です。Excel で開いて「名前を付けて保存」から .xlsx 形式で保存し直してください。"
XLS_ENCRYPTED = ("パスワードで保護された Excel 97-2003 形式（.xls）です。Excel で開いてパスワードを外し、"
                 "「名前を付けて保存」から .xlsx 形式で保存し直してください。")
ENCRYPTED = ("パスワードで保護（暗号化）されているため読み込めません。Excel で開いて「ファイル」→「情報」→"
             "「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消去して保存し、提出し直してください。")
OTHER_OLE = "Excel ブックではありません（Word など、ほかのソフトの古い形式のファイルです）。正しい Excel ファイル（.xlsx）を指定してください。"
XLSB = ("Excel バイナリブック（.xlsb）形式には対応していません。Excel で開いて「名前を付けて保存」から"
        "「Excel ブック（.xlsx）」形式で保存し直してください。")
ODS = "OpenDocument（.ods）形式です。開いて「名前を付けて保存」から「Excel ブック（.xlsx）」形式で保存し直してください。"
OTHER_OFFICE = "Word や PowerPoint のファイルで、Excel ブックではありません。正しい Excel ファイル（.xlsx）を指定してください。"
PDF = "PDF ファイルです。PDF からは読み込めません。元の Excel ファイル（.xlsx）を提出してもらってください。"
TEXT = "CSV やテキストのファイルで、Excel ブックではありません。Excel で開いて「名前を付けて保存」から .xlsx 形式で保存し直してください。"
NOT_XLSX = "Excel ブック（.xlsx）ではないか、ファイルが壊れています。" + _AFTER_SAVE
NOT_OOXML = "Excel ブックの形式になっていません（ZIP ファイルですが Excel の中身がありません）。正しい Excel ファイル（.xlsx）を指定してください。"
CORRUPT = "ファイルが壊れています（途中で切れているか、一部が傷んでいます）。元のファイルをもう一度保存して提出し直してください。"
TOO_LARGE = "ファイルの中身が大きすぎるため読み込みません（展開後 約{size} MB、上限 {limit} MB）。不要なシートや画像を削除して保存し直してください。"
BOMB = "安全でない内容が含まれているため読み込みません（異常に圧縮されたデータがあります）。" + _ASK_SENDER
UNSAFE_XML = ("安全でない内容が含まれているため読み込みません（Excel では作られない XML の宣言（DOCTYPE）があります）。"
              + _ASK_SENDER)
UNSUPPORTED = "Excel では作られない形式のデータが含まれているため読み込めません。" + _AFTER_SAVE
PARSE = "Excel ブックとして読み込めませんでした（中身が壊れているか、対応していない作り方のファイルです）。" + _AFTER_SAVE
OUT_OF_MEMORY = "ファイルが大きすぎて読み込めませんでした。不要なシートや画像を削除して保存し直してください。"

# A sheet whose used range reaches beyond GR100000 (addin.xlsx.extent): {where} is AT_CELL or AT_ROW.
FAR_CELL = ("シート「{sheet}」の{where} に値または書式があります。不要な行・列を削除して保存し直してください"
            "（読み込めるのは GR 列・100,000 行までです）。")
AT_CELL = "セル {cell}"
AT_ROW = "{row} 行目"


class Refusal(Exception):
    """Internal: a reason to refuse, turned into UnreadableWorkbook with the path."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
