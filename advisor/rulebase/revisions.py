"""A rulebase folder as it was in a git revision (`REV:PATH`), for comparing versions."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from advisor.errors import InputError, Problem


def rulebase_folder(spec: str, scratch: Path) -> Path:
    """`spec` itself when it is a folder; for `REV:PATH`, that folder extracted from git into `scratch`.

    As in `git show REV:PATH`, PATH starts at the repository's top folder.
    """
    if Path(spec).is_dir() or ":" not in spec:
        return Path(spec)
    revision, path = spec.split(":", 1)
    path = path.rstrip("/") or "."
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, check=True, text=True,
                             timeout=60).stdout.strip()
        archive = subprocess.run(["git", "archive", "--format=tar", revision, "--", path], capture_output=True,
                                 check=True, timeout=60, cwd=top).stdout
    except FileNotFoundError:
        raise InputError(Problem(spec, "git is not installed", fix="extract that version to a folder and name it")) \
            from None
    except subprocess.CalledProcessError as error:
        stderr = error.stderr if isinstance(error.stderr, str) else error.stderr.decode(errors="replace")
        reason = stderr.strip().splitlines()
        raise InputError(Problem(spec, f"git cannot read it: {reason[-1] if reason else 'unknown error'}",
                                 fix="name a revision and a folder that exist, e.g. HEAD~1:rules (run it inside "
                                 "the repository)")) from None
    scratch.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / path
