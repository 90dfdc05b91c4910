"""Bundling: one document out of a root file and everything its `$ref`s reach.

One walk over the root document. A reference into another file is replaced so
that only local `#/...` references remain:

- a target at `<file>#/components/<kind>/<Name>` is hoisted into the root's
  `components/<kind>` (as `Name`, or `Name2`... when the root already has a
  different `Name`) and the reference points there;
- any other target in a schema position is hoisted into `components/schemas`
  under a name from its pointer or file name;
- any other target (a path item, a parameter...) is inlined.

Every value of every file is processed once, in its own file, so references
inside it resolve relative to that file; a target referenced twice is hoisted
once, and cycles end at the hoisted name. Hoisted and inlined values are
moved, not copied: only a reference with sibling keys makes a shallow copy.
Problems (a missing file or target) become diagnostics at the reference, and
the rest of the document is still bundled.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
import re
from collections import deque
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from specloom.diagnostics import Diagnostic, Level, join_pointer
from specloom.loading.contexts import Context, child_context, component_context
from specloom.loading.locator import Locator, Origin
from specloom.loading.pointers import (
    MISSING,
    lookup,
    lookup_through_refs,
    split_fragment,
    step,
    to_pointer,
)
from specloom.loading.policy import is_url
from specloom.loading.sources import SourceDocument, Sources
from specloom.messages import did_you_mean

Container = dict[str, Any] | list[Any]

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CONTAINERS = (dict, list)
# Enum members read through the class are slow (`EnumType.__getattr__`): the walk uses these.
_SCHEMA = Context.SCHEMA
_DATA = Context.DATA


class _Pending(NamedTuple):
    """A hoisted value still to be walked, in the file it came from."""

    kind: str
    name: str
    document: SourceDocument
    tokens: list[str]
    context: Context


class Bundler:
    """Bundles `root` in place; `diagnostics` and `origins` are its findings."""

    def __init__(self, root: SourceDocument, sources: Sources) -> None:
        self._root = root
        self._sources = sources
        self.origins: dict[Origin, Origin] = {}
        """Where each hoisted or inlined piece came from, for `Locator`."""
        self.locator = Locator(root, sources.documents, self.origins)
        self.diagnostics: list[Diagnostic] = []
        self._walked: dict[int, bool] = {}
        """The ids of the values walked so far: True while their members are being walked."""
        self._contexts: dict[Context, dict[str, Context]] = {context: {} for context in Context}
        """`child_context`, remembered for each parent context and key."""
        self._localized: set[int] = set()
        self._replaced: dict[int, tuple[Any, Any]] = {}
        self._hoisted: dict[Origin, str] = {}
        self._staged: list[tuple[str, str, Any]] = []
        self._pending: deque[_Pending] = deque()
        self._local_refs: list[tuple[list[str], str]] = []
        self._boxes: dict[str, list[Any]] = {}
        self._taken: dict[str, set[str]] = {}

    def bundle(self) -> None:
        """Walk the root, then everything hoisted into it, then check the local references."""
        content = self._root.content
        self._walked[id(content)] = False
        self._walk_members(content, self._root, [], Context.OBJECT)
        self._place_staged()
        while self._pending:
            kind, name, document, tokens, context = self._pending.popleft()
            home = self._root.content["components"][kind]
            self._visit(home, name, document, tokens, context)
            self._place_staged()
        self._check_local_refs()

    # The walk.

    def _visit(
        self,
        home: Container,
        key: str | int,
        document: SourceDocument,
        path: list[str],
        context: Context,
    ) -> None:
        """Process `home[key]`, which lives in `document` at `path`."""
        node = home[key]  # type: ignore[index]
        node_id = id(node)
        walked = self._walked
        if node_id in walked:
            replaced = self._replaced.get(node_id)
            if replaced is not None:
                home[key] = replaced[1]  # type: ignore[index]
            return
        walked[node_id] = True
        try:
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str) and context.holds_references:
                    replacement = self._reference(node, document, path, context)
                    if replacement is not node:
                        self._replaced[node_id] = (node, replacement)
                        home[key] = replacement  # type: ignore[index]
                        return
                if context is _SCHEMA and "discriminator" in node:
                    self._bundle_discriminator(node, document, path)
            if isinstance(node, _CONTAINERS):  # a reference may name a number or a string
                self._walk_members(node, document, path, context)
        finally:
            walked[node_id] = False

    def _walk_members(
        self, node: Container, document: SourceDocument, path: list[str], context: Context
    ) -> None:
        contexts = self._contexts[context]
        visit = self._visit
        walked = self._walked
        members = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in members:
            if not isinstance(child, _CONTAINERS):
                continue
            token = key if isinstance(key, str) else str(key)
            context_here = contexts.get(token)
            if context_here is None:
                context_here = contexts[token] = child_context(context, token)
            if context_here is _DATA:
                continue
            if _is_plain(child):  # most are: marked walked, without the two calls
                walked.setdefault(id(child), False)
                continue
            path.append(token)
            visit(node, key, document, path, context_here)
            path.pop()

    # References.

    def _reference(
        self, holder: dict[str, Any], document: SourceDocument, path: list[str], context: Context
    ) -> Any:
        """What replaces `holder`: itself (rewritten to a local reference) or the inlined target."""
        ref: str = holder["$ref"]
        address, _, fragment = ref.partition("#")
        if document is self._root and not address:
            misplaced = _misplaced_target(fragment)
            if misplaced is not None:
                self._error(f"reference {ref!r} {misplaced}", document, path)
            elif fragment.startswith("/"):
                self._local_refs.append((list(path), ref))
            return holder  # an anchor (`#name`) stays as written
        target = self._target(document, address, fragment)
        if isinstance(target, str):
            self._error(f"unresolvable reference {ref!r}: {target}", document, path)
            return holder
        target_document, tokens = target
        if not tokens and not isinstance(target_document.content, dict):
            # Say what it is, never what it holds: it may be any file at all.
            message = f"unresolvable reference {ref!r}: {target_document.display} is not a "
            self._error(message + "JSON or YAML object", document, path)
            return holder
        if target_document is self._root:
            local = "#" + to_pointer(tokens)
            self._local_refs.append((list(path), local))
            return self._localize(holder, local)
        value = lookup(target_document.content, tokens)
        if value is MISSING:
            reason = _missing_reason(target_document, tokens)
            self._error(f"unresolvable reference {ref!r}: {reason}", document, path)
            return holder
        component = _component_entry(tokens)
        if component is not None or context is Context.SCHEMA:
            hoisted = self._hoist(target_document, tokens, value, component, document, path)
            return holder if hoisted is None else self._localize(holder, hoisted)
        return self._inline(holder, target_document, tokens, document, path, context)

    def _bundle_discriminator(
        self, schema: dict[str, Any], document: SourceDocument, path: list[str]
    ) -> None:
        """Bundle what a discriminator's `mapping` values refer to, like `$ref`s in a schema."""
        discriminator = schema.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if not isinstance(mapping, dict):
            return
        for name, value in mapping.items():
            ref = _mapping_reference(value, document, document is self._root)
            if ref is None:
                continue
            holder = {"$ref": ref}
            path.extend(["discriminator", "mapping", name])
            self._reference(holder, document, path, Context.SCHEMA)
            del path[-3:]
            mapping[name] = holder["$ref"]

    def _target(
        self, document: SourceDocument, address: str, fragment: str
    ) -> tuple[SourceDocument, list[str]] | str:
        """The document and pointer tokens a reference names, or why it names nothing."""
        tokens = split_fragment(fragment)
        if tokens is None:
            return "only JSON pointer fragments (`#/...`) can be followed across files"
        if not address:
            return document, tokens
        found = self._sources.read_referenced(document, address)
        return found if isinstance(found, str) else (found, tokens)

    def _localize(self, holder: dict[str, Any], local: str) -> dict[str, Any]:
        holder["$ref"] = local
        self._localized.add(id(holder))
        return holder

    def _hoist(
        self,
        document: SourceDocument,
        tokens: list[str],
        value: Any,
        component: tuple[str, str] | None,
        site: SourceDocument,
        site_path: list[str],
    ) -> str | None:
        """The local reference to `value` hoisted into the root's components (once per target)."""
        origin = (document.location, to_pointer(tokens))
        hoisted = self._hoisted.get(origin)
        if hoisted is not None:
            return hoisted
        kind, preferred = component or ("schemas", _schema_name(document, tokens))
        name = self._free_name(kind, preferred)
        if name is None:
            message = f"cannot bundle {origin[1] or document.display!r}: the root's "
            message += f"'components/{kind}' is not a mapping"
            self._error(message, site, site_path)
            return None
        self._staged.append((kind, name, value))
        pointer = join_pointer("/components", kind, name)
        local = "#" + pointer
        self._hoisted[origin] = local
        self.origins[(self._root.location, pointer)] = origin
        context = Context.SCHEMA if component is None else component_context(kind)
        self._pending.append(_Pending(kind, name, document, list(tokens), context))
        return local

    def _inline(
        self,
        holder: dict[str, Any],
        document: SourceDocument,
        tokens: list[str],
        site: SourceDocument,
        site_path: list[str],
        context: Context,
    ) -> Any:
        home, key = self._home(document, tokens)
        self._visit(home, key, document, list(tokens), context)
        value = home[key]  # type: ignore[index]
        if not tokens:
            document.content = value
        if self._walked.get(id(value)):
            self._error(f"circular reference {holder['$ref']!r} cannot be inlined", site, site_path)
            return holder
        if _is_reference(value):
            if id(value) not in self._localized:
                return holder  # its own problem is already reported where it is
            return self._localize(holder, value["$ref"])
        self.origins[(site.location, to_pointer(site_path))] = (
            document.location,
            to_pointer(tokens),
        )
        siblings = {k: v for k, v in holder.items() if k != "$ref"}
        if siblings and isinstance(value, dict):
            return {**value, **siblings}
        return value

    def _home(self, document: SourceDocument, tokens: list[str]) -> tuple[Container, str | int]:
        """The container and key where the value at `tokens` lives in `document`."""
        if not tokens:
            box = self._boxes.setdefault(document.location, [document.content])
            return box, 0
        parent = lookup(document.content, tokens[:-1])
        if isinstance(parent, list):
            return parent, int(tokens[-1])
        return parent, tokens[-1]

    # Hoisting into the root.

    def _section(self, kind: str) -> dict[str, Any] | None:
        components = self._root.content.get("components")
        if components is None:
            return {}
        if not isinstance(components, dict):
            return None
        section = components.get(kind, {})
        return section if isinstance(section, dict) else None

    def _free_name(self, kind: str, preferred: str) -> str | None:
        """A name not yet used in the root's `components/<kind>`, now reserved."""
        taken = self._taken.get(kind)
        if taken is None:
            section = self._section(kind)
            if section is None:
                return None
            taken = self._taken[kind] = set(section)
        base = _NAME_UNSAFE.sub("_", preferred) or "Schema"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}{number}"
        taken.add(name)
        return name

    def _place_staged(self) -> None:
        # Hoisted values join the root only between walks: the root's own mappings
        # must not grow while they are being walked.
        for kind, name, value in self._staged:
            components = self._root.content.setdefault("components", {})
            components.setdefault(kind, {})[name] = value
        self._staged.clear()

    # Local references.

    def _check_local_refs(self) -> None:
        content = self._root.content
        unresolvable: dict[str, list[str] | None] = {}  # a spec uses each reference many times
        for path, ref in self._local_refs:
            if ref not in unresolvable:
                unresolvable[ref] = _unresolvable(content, ref)
            tokens = unresolvable[ref]
            if tokens is None:
                continue
            reason = _missing_reason(self._root, tokens)
            self._error(f"unresolvable reference {ref!r}: {reason}", self._root, path)

    def _error(self, message: str, document: SourceDocument, path: list[str]) -> None:
        pointer = to_pointer(path)
        if document is self._root:
            pointer = self.locator.original(pointer)
        line, column = self.locator.position(document, pointer)
        self.diagnostics.append(
            Diagnostic(Level.ERROR, message, pointer, document.display, line, column)
        )


_CONTAINERS_REPEATED = itertools.repeat(_CONTAINERS)


def _is_plain(node: Container) -> bool:
    """Whether walking `node` has nothing to do: no `$ref` in it, no dict or list in it."""
    # map() calls isinstance from C, with no Python frame per value.
    if isinstance(node, dict):
        return "$ref" not in node and not any(map(isinstance, node.values(), _CONTAINERS_REPEATED))
    return not any(map(isinstance, node, _CONTAINERS_REPEATED))


def _is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _unresolvable(content: Any, ref: str) -> list[str] | None:
    """The tokens of the local reference `ref` when they lead nowhere in `content`."""
    tokens = split_fragment(ref[1:])
    if tokens is None or lookup_through_refs(content, tokens) is not MISSING:
        return None
    return tokens


def _mapping_reference(value: Any, document: SourceDocument, is_root: bool) -> str | None:
    """The reference a discriminator mapping value stands for, when it needs bundling.

    A value is a schema name when `components/schemas` of its own file has it, and
    otherwise a reference; names and local references of the root stay as written.
    """
    if not isinstance(value, str):
        return None
    components = document.content.get("components") if isinstance(document.content, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict) and value in schemas:
        return None if is_root else "#" + join_pointer("/components/schemas", value)
    if is_root and value.startswith("#"):
        return None
    return value if any(mark in value for mark in "#/.") else None


_NOT_TARGETS = frozenset(
    {"openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "externalDocs"}
)


@functools.lru_cache(maxsize=4096)
def _misplaced_target(fragment: str) -> str | None:
    """Why a local reference with this fragment can never name a usable value, if it cannot."""
    tokens = split_fragment(fragment)
    if tokens == []:
        return "names the whole document, which cannot be part of itself"
    if tokens and tokens[0] in _NOT_TARGETS:
        return f"names the document's {tokens[0]!r}, which is not a schema or component"
    return None


def _component_entry(tokens: list[str]) -> tuple[str, str] | None:
    if len(tokens) == 3 and tokens[0] == "components":
        return tokens[1], tokens[2]
    return None


def _schema_name(document: SourceDocument, tokens: list[str]) -> str:
    if tokens:
        return tokens[-1]
    path = urlsplit(document.location).path if is_url(document.location) else document.display
    return posixpath.splitext(posixpath.basename(path))[0]


def _missing_reason(document: SourceDocument, tokens: list[str]) -> str:
    node = document.content
    for index, token in enumerate(tokens):
        child = step(node, token)
        if child is MISSING:
            where = to_pointer(tokens[:index]) or "the document root"
            names = [str(key) for key in node] if isinstance(node, dict) else []
            suggestion = did_you_mean(token, names)
            return f"{where} in {document.display} has no {token!r}" + (
                f"; {suggestion}" if suggestion else ""
            )
        node = child
    return f"nothing at {to_pointer(tokens)} in {document.display}"
