"""A new rulebase of one's own, copied from the template beside this module (it passes check and test)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "template"


def is_free(target: Path) -> bool:
    """Whether a rulebase can be started there: nothing, or an empty folder."""
    return not target.exists() or (target.is_dir() and not any(target.iterdir()))


def start_rulebase(target: Path, name: str | None, today: dt.date) -> None:
    """Write the template into `target` (see `is_free`), verified today, under `name` if given; OSError if not."""
    shutil.copytree(TEMPLATE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    info = target / "rulebase.yaml"
    text = info.read_text(encoding="utf-8").replace("last_verified: 2026-01-01", f"last_verified: {today.isoformat()}")
    if name:  # a JSON string is a YAML double-quoted scalar: any name is written safely
        text = text.replace("name: My institution's cooperation programmes",
                            f"name: {json.dumps(name, ensure_ascii=False)}")
    info.write_text(text, encoding="utf-8")
