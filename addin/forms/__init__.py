"""The department entry workbook: its layout, generation and (for the demo and tests) filling."""
