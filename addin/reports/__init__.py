"""Report workbooks: the consolidated report sheets, 工程表, 検証結果 and 差戻し lists, the finance export."""
