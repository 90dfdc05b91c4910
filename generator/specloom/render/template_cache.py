"""Compiled templates kept between runs, as Python keeps `.pyc` files.

Compiling the bundled templates to Python takes about half a second; the compiled code
depends only on a template's text, jinja2's and Python's versions and the environment's
options, never on a spec. Each template's code is stored in `templates/` under the cache
folder (`specloom.cache.cache_root`), in a subfolder named by those versions and options;
jinja2 checks the template's text against a checksum before using it. `SPECLOOM_NO_CACHE`
turns off the cache of results, not this: compiled templates never change what a run
generates. A folder that cannot be read or written, or a damaged file, only means the
template is compiled again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from specloom import cache


class TemplateCodeCache(jinja2.BytecodeCache):
    """jinja2's bytecode cache in `folder`, where no failure fails the run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self.folder / bucket.key, "rb") as file:
                bucket.load_bytecode(file)
        except Exception:  # unreadable or damaged in any way: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        temporary: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
            with os.fdopen(descriptor, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(temporary, self.folder / bucket.key)  # whole, for concurrent runs
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.remove(temporary)


def template_code_cache(environment: jinja2.Environment) -> TemplateCodeCache:
    """The cache for the templates of `environment`, by the options that shape their code.

    The folder of each jinja2 and Python version is marked as used; those of versions not
    used for `cache.MAX_AGE_S` are removed (an upgrade leaves its predecessor's behind)."""
    options = [getattr(environment, name) for name in _COMPILE_OPTIONS]
    shape = f"jinja2 {jinja2.__version__}, Python {sys.version}, {options!r}"
    folders = cache.cache_root() / "templates"
    folder = folders / hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16]
    _mark_used_and_prune(folder)
    return TemplateCodeCache(folder)


def _mark_used_and_prune(folder: Path) -> None:
    """Touch `folder` (if it exists) and remove its siblings unused for `cache.MAX_AGE_S`."""
    now = time.time()
    with contextlib.suppress(OSError):
        os.utime(folder, (now, now))
    try:
        siblings = [entry for entry in folder.parent.iterdir() if entry != folder]
    except OSError:
        return
    for sibling in siblings:
        with contextlib.suppress(OSError):
            if sibling.is_dir() and now - sibling.stat().st_mtime > cache.MAX_AGE_S:
                shutil.rmtree(sibling, ignore_errors=True)


_COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "autoescape",
    "optimized",
    "extensions",
)
"""The environment's attributes that a template's compiled code depends on."""
