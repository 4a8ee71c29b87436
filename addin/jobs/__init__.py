"""The whole jobs the command line and the ribbon share: validate and write, consolidate, the demo."""
