"""What `generate --check` shows when the committed tree is not what the spec generates.

A unified diff of every stale file (`a/` is what is on disk, `b/` what would be written),
as `git diff` shows it; past `MAX_DIFF_LINES` lines, a per-file summary instead
(`M pkg/models.py (+12 -3)`), so that a big change does not flood a CI log.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

MAX_DIFF_LINES = 400
_NO_NEWLINE = "\n\\ No newline at end of file\n"


def stale_report(
    out_dir: Path, files: Mapping[str, str], stale: Iterable[str], *, limit: int = MAX_DIFF_LINES
) -> str:
    """The diff (or the summary, past `limit` lines) from `out_dir` to `files` over `stale`."""
    diffs = {path: _diff(path, _on_disk(out_dir / path), files.get(path)) for path in stale}
    lines = [line for diff in diffs.values() for line in diff]
    if len(lines) <= limit:
        return "".join(lines).rstrip("\n")
    summary = [
        _summary_line(path, _on_disk(out_dir / path), files.get(path), diff)
        for path, diff in diffs.items()
    ]
    shown = f"{len(lines)} lines of differences; per file (`specloom generate` to update):"
    return "\n".join([shown, *summary])


def _diff(path: str, old: str | None, new: str | None) -> list[str]:
    before = [] if old is None else old.splitlines(keepends=True)
    after = [] if new is None else new.splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(
            before,
            after,
            fromfile="/dev/null" if old is None else f"a/{path}",
            tofile="/dev/null" if new is None else f"b/{path}",
        )
    )
    if not lines and old != new:  # identical lines, different bytes (line endings)
        lines = [f"--- a/{path}\n", f"+++ b/{path}\n", "@@ line endings differ @@\n"]
    return [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    ]


def _summary_line(path: str, old: str | None, new: str | None, diff: list[str]) -> str:
    if old is None:
        return f"A {path} (new)"
    if new is None:
        return f"D {path} (no longer generated)"
    added = sum(line.startswith("+") and not line.startswith("+++") for line in diff)
    removed = sum(line.startswith("-") and not line.startswith("---") for line in diff)
    return f"M {path} (+{added} -{removed})"


def _on_disk(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as file:
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None
