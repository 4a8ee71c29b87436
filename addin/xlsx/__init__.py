"""Spreadsheet I/O without domain words: hostile-file guard, XML scan, streamed writer, styles, tables."""
