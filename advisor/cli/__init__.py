"""The `advisor` command line: one module per command."""
