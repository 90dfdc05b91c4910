"""A refresh token kept in a file readable by its owner only."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def load_refresh_token(path: Path) -> str | None:
    """The refresh token saved at `path`, or None when there is none (or it is unreadable)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    token = payload.get("refresh_token") if isinstance(payload, dict) else None
    return token if isinstance(token, str) and token else None


def save_refresh_token(path: Path, token: str) -> None:
    """Save `token` at `path`, replacing the file atomically; the file is created with
    mode 0600 (never readable by others, even for a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600, under a name no other saver uses.
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"refresh_token": token}, file)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
