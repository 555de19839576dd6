"""`advisor rules init DIR`: start a rulebase of one's own from the template (passes check and test)."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.cli.options import EXIT_INVALID, EXIT_OK

TEMPLATE = Path(__file__).resolve().parent.parent.parent / "toolkit" / "template"


def register(actions) -> None:
    parser = actions.add_parser("init", help="start a new rulebase from a template",
                                description="Write a small rulebase (two example programmes, a route, a derived "
                                "fact and test cases with full coverage) into a new folder, to adapt to your "
                                "institution's programmes. It never overwrites anything.")
    parser.add_argument("directory", type=Path, metavar="DIR", help="a folder that does not exist yet, or is empty")
    parser.add_argument("--name", help="the rulebase's name (default: the template's)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    import datetime as dt  # noqa: PLC0415
    import json  # noqa: PLC0415
    import shutil  # noqa: PLC0415

    from advisor.errors import cannot_write, display_path

    target: Path = args.directory
    shown = display_path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"error: {shown}: already exists and is not an empty folder; nothing was written\n"
              "  fix: name a new folder", file=sys.stderr)
        return EXIT_INVALID
    try:
        shutil.copytree(TEMPLATE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        info = target / "rulebase.yaml"
        text = info.read_text(encoding="utf-8").replace("last_verified: 2026-01-01",
                                                        f"last_verified: {dt.date.today().isoformat()}")
        if args.name:
            # a JSON string is a YAML double-quoted scalar: any name is written safely
            text = text.replace("name: My institution's cooperation programmes",
                                f"name: {json.dumps(args.name, ensure_ascii=False)}")
        info.write_text(text, encoding="utf-8")
    except OSError as error:
        print(cannot_write(shown, error, option=None), file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote a new rulebase in {shown}. Next:\n"
          f"  advisor rules check {shown}\n"
          f"  advisor rules test {shown} --min-coverage 100\n"
          f"  advisor evaluate PROFILE --rules {shown}", file=sys.stderr)
    return EXIT_OK
