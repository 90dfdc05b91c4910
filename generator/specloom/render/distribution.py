"""Metadata of the generated distribution: its version, summary and dependencies, and the
TOML strings they are written as in its `pyproject.toml`."""

from __future__ import annotations

import json
import re

from specloom.config import GenerateConfig
from specloom.render.vendor import RUNTIME_DISTRIBUTION, runtime_requirements

FALLBACK_VERSION = "0.1.0"
"""The version of a generated distribution whose spec version is not a PEP 440 version."""

_SURROGATE = re.compile("[\ud800-\udfff]")

# PEP 440 public versions in canonical form (PEP 440, appendix B).
_CANONICAL_VERSION = re.compile(
    r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*"
    r"((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?\Z"
)


def distribution_version(spec_version: str) -> str:
    """The spec's `info.version` when it is a canonical PEP 440 version, else `0.1.0`."""
    version = spec_version.strip()
    return version if _CANONICAL_VERSION.match(version) else FALLBACK_VERSION


def summary(title: str) -> str:
    """A one-line summary from the spec's title (core metadata allows no line breaks)."""
    return " ".join(title.split()) or "A client and server for an HTTP API."


def dependencies(config: GenerateConfig) -> tuple[str, ...]:
    """The requirements of the generated distribution.

    A server alone needs the server's requirements; client and server together put them
    in the `server` extra (see `optional_dependencies`), so a client user never installs
    starlette.
    """
    server_only = config.target == "server"
    if config.runtime == "vendored":
        server = runtime_requirements("server") if server_only else ()
        return (*runtime_requirements(), *server)
    runtime = f"{RUNTIME_DISTRIBUTION}[server]" if server_only else RUNTIME_DISTRIBUTION
    return (runtime, *runtime_requirements())


def optional_dependencies(config: GenerateConfig) -> dict[str, tuple[str, ...]]:
    """The extras of the generated distribution: `server` when it holds a client too."""
    if config.target != "all":
        return {}
    if config.runtime == "vendored":
        return {"server": runtime_requirements("server")}
    return {"server": (f"{RUNTIME_DISTRIBUTION}[server]",)}


def toml_string(text: str) -> str:
    """`text` as a TOML basic string.

    JSON's escapes are a subset of TOML's; TOML also forbids a raw DEL. TOML cannot hold
    lone surrogates at all (nor `\\ud83d`-style pairs, hence no `ensure_ascii`): they
    become U+FFFD.
    """
    text = _SURROGATE.sub("\ufffd", text)
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
