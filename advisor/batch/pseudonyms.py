"""Stable pseudonyms for `--anonymize`: the same name (or file) always gets the same pseudonym.

A pseudonym is a keyed hash (HMAC-SHA-256) of the name. With the default key anyone can check a
guessed name against a pseudonym; set ADVISOR_PSEUDONYM_KEY to a secret of your own to prevent it,
and keep the same key to keep the same pseudonyms across runs.
"""

from __future__ import annotations

import hashlib
import hmac
import os

DEFAULT_KEY = b"advisor-batch-pseudonyms-v1"
PERSONAL_FIELDS = ("gender", "nationality")  # optional personal answers left out of anonymized outputs


def key_from_environment() -> bytes:
    return os.environ.get("ADVISOR_PSEUDONYM_KEY", "").encode() or DEFAULT_KEY


class Pseudonyms:
    def __init__(self, key: bytes):
        self.key = key

    def of(self, name: str | None) -> str | None:
        if name is None:
            return None
        digest = hmac.new(self.key, name.strip().encode(), hashlib.sha256).hexdigest()
        return f"P-{digest[:10]}"
