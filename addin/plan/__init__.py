"""The plan: its model, the plan workbook layout, reader and writer, and the embedded default plan."""
