"""Rendered modules reused from the previous run, by what they are rendered from.

Most of a regeneration's rendering is of modules whose inputs did not change: the models
modules, and the operation descriptors and client service of each tag other than the
edited operation's. Each such module's text depends only on its template and the values
given to it (frozen IR records, strings), so the texts of the last run with the same
options are kept in the cache (`specloom.cache`), each under a hash of its template name
and the pickled values (pickle writes every field; values written differently only miss);
a module whose hash is found is not rendered again.

Only the bundled templates are reused (a custom template folder may change without
specloom knowing), and only those that read nothing but the values they are given.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

from specloom import __version__, cache
from specloom.config import GenerateConfig

__all__ = ["rendered", "reusing_renders"]

_KIND = "render"
_REUSED_TEMPLATES = frozenset(
    {
        "models/models.py.jinja",
        "package/_operations.py.jinja",
        "client/service.py.jinja",
        "server/api.py.jinja",
    }
)
"""Templates that read only their values (no `api`, no include): the per-tag and
per-model modules, most of the files of a large spec."""
_PROTOCOL = 5
"""The pickle protocol of the values' bytes (stated: the default may change with Python)."""
_MARSHAL = 4
"""The format of the stored group of texts: `marshal`, as Python's own bytecode cache (the
Python version is part of the key), several times faster to read back than JSON."""
_IGNORED_VALUES = frozenset({"api"})
"""Given to a reused template without being read by it (checked by the tests)."""


class _Memo:
    """The texts of the previous run and those of this one, by key, each compressed on its
    own (`cache.packed`): only those rendered anew are compressed."""

    def __init__(self, earlier: dict[str, bytes]) -> None:
        self.earlier = earlier
        self.now: dict[str, bytes] = {}

    def rendered(
        self, template: str, context: Mapping[str, object], render: Callable[[], str]
    ) -> str:
        values = {name: value for name, value in context.items() if name not in _IGNORED_VALUES}
        key = cache.key_of(template, pickle.dumps(values, protocol=_PROTOCOL))
        stored = self.earlier.get(key)
        text = None if stored is None else cache.unpacked(stored)
        if stored is None or text is None:
            text = render()
            stored = cache.packed(text)
        self.now[key] = stored
        return text


_ACTIVE: ContextVar[_Memo | None] = ContextVar("specloom_render_memo", default=None)


def rendered(template: str, context: Mapping[str, object], render: Callable[[], str]) -> str:
    """`render()`, the text of `template` with `context`, or the same text from the last run."""
    memo = _ACTIVE.get()
    if memo is None or template not in _REUSED_TEMPLATES:
        return render()
    return memo.rendered(template, context, render)


@contextmanager
def reusing_renders(config: GenerateConfig) -> Iterator[None]:
    """Within this, `rendered` reuses the last run's texts (for the same options)."""
    if config.templates is not None or cache.cache_dir() is None:
        yield
        return
    group = cache.key_of(_fingerprint(), repr(config))
    memo = _Memo(_earlier(group))
    token = _ACTIVE.set(memo)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
    if memo.now and memo.now != memo.earlier:
        cache.put_many(_KIND, {group: marshal.dumps(memo.now, _MARSHAL)})


def _earlier(group: str) -> dict[str, bytes]:
    """The texts kept by the last run with these options, compressed; none if they cannot
    be read (a text that cannot be decompressed is rendered again when asked for)."""
    stored = cache.get_many(_KIND, [group]).get(group)
    if stored is None:
        return {}
    try:
        texts = marshal.loads(stored)
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(texts, dict) or not all(isinstance(t, bytes) for t in texts.values()):
        return {}
    return texts


@functools.cache
def _fingerprint() -> str:
    """What a text depends on besides its values: the templates and the code that renders."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    folders = [Path(str(resources.files("specloom.templates"))), Path(__file__).parent / "render"]
    cache.hash_folders(digest, folders, (".jinja", ".py"))
    return digest.hexdigest()
