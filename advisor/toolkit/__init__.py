"""The rule author's toolkit: checks, test cases, coverage, diffs, schemas, synthetic profiles."""
