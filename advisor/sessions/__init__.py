"""Adviser sessions: a researcher's answers with their history, notes, evaluations and what-if scenarios."""
