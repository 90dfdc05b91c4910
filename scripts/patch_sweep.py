"""Patched regenerations (`specloom.doc_edits`, `specloom.operation_edits`) checked
against full runs on real specs.

For each spec (a sample of the JSON files of a corpus folder, or the files given), in a
cache of its own: generate (validated, or with `--skip-validation` when validation finds
errors), edit one operation's summary or description, or the description of a parameter,
a request body or a response (text, quotes, an accent, a symbol; `--only` picks one of
those kinds), generate again with the cache, and compare the files and diagnostics with
a run without it (`--as yaml`: the spec written as YAML first). With `--structural`, the
edits change one operation instead (a parameter added, removed, made required or
retyped, a response added, `deprecated` set, an inline body or response schema given a
property or a description), `--steps` of them one after the other,
each run compared. Each run with the cache writes its files into an output folder, as
the command does, and the next one is told of it (a patch reads the files it changes
there). Reports, per spec, whether the runs were patched (loaded nothing) or made in
full, and whether they matched; exits 1 on any mismatch.

    python scripts/patch_sweep.py "$(bash ../shared/corpus/fetch)" --sample 40 --seed 2
    python scripts/patch_sweep.py --spec fixtures/realworld/discourse.json
    python scripts/patch_sweep.py CORPUS --sample 20 --seed 3 --structural --steps 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from specloom.config import GenerateConfig
from specloom.pipeline import GenerateResult, generate
from specloom.write import write_tree

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="a folder of specs (JSON files)")
    parser.add_argument("--sample", type=int, default=20, help="how many of its specs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spec", type=Path, action="append", default=[], help="a spec file")
    parser.add_argument(
        "--only", choices=sorted(_KINDS), help="edit only this kind of string (default: any)"
    )
    parser.add_argument(
        "--as",
        dest="written_as",
        choices=["json", "yaml"],
        default="json",
        help="write each spec as JSON (the default) or as YAML (block style) before the runs",
    )
    parser.add_argument(
        "--structural", action="store_true", help="change one operation instead of its prose"
    )
    parser.add_argument("--steps", type=int, default=1, help="changes per spec (--structural)")
    args = parser.parse_args(argv)
    specs = list(args.spec)
    rng = random.Random(args.seed)
    if args.corpus is not None:
        found = sorted(args.corpus.rglob("*.json"))
        specs += rng.sample(found, min(args.sample, len(found)))
    if not specs:
        parser.error("give a corpus folder or --spec")
    loads = _count_loads()
    tally = {"patched": 0, "full": 0, "skipped": 0, "mismatch": 0}
    with tempfile.TemporaryDirectory() as work:
        for index, path in enumerate(specs):
            folder = Path(work) / str(index)
            if args.structural:
                outcomes = _check_structural(path, folder, rng, loads, args.steps)
            else:
                outcomes = [_check(path, folder, rng, loads, args.only, args.written_as)]
            for outcome in outcomes:
                counted = "full" if outcome.startswith("full") else outcome
                tally[counted if counted in tally else "mismatch"] += 1
            print(f"{path}: {' '.join(outcomes)}", flush=True)
    print(" ".join(f"{name} {count}" for name, count in tally.items()))
    return 1 if tally["mismatch"] else 0


def _check(
    path: Path,
    work: Path,
    rng: random.Random,
    loads: list[int],
    only: str | None,
    written_as: str,
) -> str:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "skipped"
    prose = [
        (owner, name)
        for kind, owners in _KINDS.items()
        if only in (None, kind)
        for owner in owners(document)
        for name in ("summary", "description")
        if isinstance(owner.get(name), str) and (name == "description" or kind == "operation")
    ]
    if not prose:
        return "skipped"
    work.mkdir(parents=True)
    spec = work / f"spec.{written_as}"
    indent = rng.choice([None, 2])
    spec.write_text(_dumped(document, written_as, indent), encoding="utf-8")
    config = GenerateConfig(package_name="api")
    out = work / "out"
    with _cache(work / "cache"), contextlib.redirect_stderr(io.StringIO()):
        skip_validation = False
        if not _written(generate(spec, config, output=out), out):
            skip_validation = True
            if not _written(generate(spec, config, skip_validation=True, output=out), out):
                return "skipped"
        owner, field = rng.choice(prose)
        text = owner[field]
        owner[field] = text[: len(text) // 2] + ' edited "é" ✓ ' + "x" * rng.randint(0, 200)
        spec.write_text(_dumped(document, written_as, indent), encoding="utf-8")
        before = loads[0]
        patched = generate(spec, config, skip_validation=skip_validation, output=out)
        kind = "patched" if loads[0] == before else "full"
        _written(patched, out)
    with _cache(None), contextlib.redirect_stderr(io.StringIO()):
        afresh = generate(spec, config, skip_validation=skip_validation)
    return kind if _same(patched, afresh) else f"MISMATCH ({kind})"


def _check_structural(
    path: Path, work: Path, rng: random.Random, loads: list[int], steps: int
) -> list[str]:
    """`steps` changes of one operation each, each run with the cache compared with one
    without it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["skipped"]
    if not _operations(document):
        return ["skipped"]
    work.mkdir(parents=True)
    operations = _operations(document)  # the same objects, changed in place
    spec = work / "spec.json"
    indent = rng.choice([None, 2])
    spec.write_text(json.dumps(document, indent=indent), encoding="utf-8")
    config = GenerateConfig(package_name="api")
    out = work / "out"
    outcomes = []
    with _cache(work / "cache"), contextlib.redirect_stderr(io.StringIO()):
        skip_validation = False
        if not _written(generate(spec, config, output=out), out):
            skip_validation = True
            if not _written(generate(spec, config, skip_validation=True, output=out), out):
                return ["skipped"]
    for _ in range(steps):
        _change_operation(rng.choice(operations), rng)
        spec.write_text(json.dumps(document, indent=indent), encoding="utf-8")
        with _cache(work / "cache"), contextlib.redirect_stderr(io.StringIO()):
            before = loads[0]
            reasons = _declined()
            patched = generate(spec, config, skip_validation=skip_validation, output=out)
            kind = "patched" if loads[0] == before else f"full ({'; '.join(reasons)})"
            _written(patched, out)
        with _cache(None), contextlib.redirect_stderr(io.StringIO()):
            afresh = generate(spec, config, skip_validation=skip_validation)
        outcomes.append(kind if _same(patched, afresh) else f"MISMATCH ({kind})")
    return outcomes


_SCHEMAS: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "integer", "minimum": 1},
    {"type": "array", "items": {"type": "string"}},
    {"type": "boolean", "default": False},
]


def _change_operation(operation: dict[str, Any], rng: random.Random) -> None:
    """One change of `operation`: a parameter added, removed, made required or retyped,
    a response added, or `deprecated` set."""
    parameters = operation.setdefault("parameters", [])
    own = [p for p in parameters if isinstance(p, dict) and p.get("in") == "query"]
    kinds = ["add", "add", "remove", "require", "retype", "response", "deprecated", "body"]
    change = rng.choice(kinds)
    inline = _inline_objects(operation)
    if change == "body" and inline:
        properties = rng.choice(inline)["properties"]
        if rng.random() < 0.5 and properties:
            described = properties[rng.choice(sorted(properties))]
            if isinstance(described, dict):
                described["description"] = "Described by the sweep."
        else:
            properties[f"added_{rng.randint(0, 10**6)}"] = dict(rng.choice(_SCHEMAS))
    elif change == "remove" and own:
        parameters.remove(rng.choice(own))
    elif change == "require" and own:
        rng.choice(own)["required"] = True
    elif change == "retype" and own:
        rng.choice(own)["schema"] = dict(rng.choice(_SCHEMAS))
    elif change == "response" and isinstance(operation.get("responses"), dict):
        operation["responses"]["418"] = {"description": "I'm a teapot."}
    elif change == "deprecated":
        operation["deprecated"] = not operation.get("deprecated", False)
    else:
        name = f"added_{rng.randint(0, 10**6)}"
        parameter = {"name": name, "in": "query", "schema": dict(rng.choice(_SCHEMAS))}
        if rng.random() < 0.5:
            parameter["description"] = "A parameter the sweep added."
        parameters.append(parameter)


def _inline_objects(operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline object schemas (with `properties`) of an operation's request body and
    responses, at any depth (not behind a `$ref`)."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [operation.get("requestBody"), operation.get("responses")]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "$ref" in value:
                continue
            if isinstance(value.get("properties"), dict):
                found.append(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _dumped(document: Any, written_as: str, indent: int | None) -> str:
    """`document` as JSON (`indent` or on one line) or as YAML (lines folded at 60 or 80)."""
    if written_as == "json":
        return json.dumps(document, indent=indent)
    width = 60 if indent else 80
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=width)


def _written(result: GenerateResult, out: Path) -> bool:
    """Write `result`'s files into `out` as the command does (the next run may read the
    files it patches there); False when it has none."""
    if result.files is None:
        return False
    problems = write_tree(out, result.files, digests=result.digests)
    assert not problems, problems
    return True


def _same(one: GenerateResult, other: GenerateResult) -> bool:
    return one.files == other.files and one.diagnostics == other.diagnostics


def _operations(document: Any) -> list[dict[str, Any]]:
    paths = document.get("paths") if isinstance(document, dict) else None
    if not isinstance(paths, dict):
        return []
    return [
        item[method]
        for item in paths.values()
        if isinstance(item, dict)
        for method in _METHODS
        if isinstance(item.get(method), dict)
    ]


def _parameters(document: Any) -> list[dict[str, Any]]:
    """The parameter objects of the path items, their operations and the components."""
    paths = document.get("paths") if isinstance(document, dict) else None
    owners: list[Any] = [*_operations(document), *(paths or {}).values()]
    found = [
        parameter
        for owner in owners
        if isinstance(owner, dict) and isinstance(owner.get("parameters"), list)
        for parameter in owner["parameters"]
        if isinstance(parameter, dict) and "in" in parameter
    ]
    components = document.get("components") if isinstance(document, dict) else None
    shared = components.get("parameters") if isinstance(components, dict) else None
    if isinstance(shared, dict):
        found += [p for p in shared.values() if isinstance(p, dict) and "in" in p]
    return found


def _responses(document: Any) -> list[dict[str, Any]]:
    """The response objects of the operations and the components."""
    found = [
        response
        for operation in _operations(document)
        if isinstance(operation.get("responses"), dict)
        for response in operation["responses"].values()
    ]
    return [r for r in found + _components(document, "responses") if isinstance(r, dict)]


def _bodies(document: Any) -> list[dict[str, Any]]:
    """The request body objects of the operations and the components."""
    found = [operation.get("requestBody") for operation in _operations(document)]
    return [b for b in found + _components(document, "requestBodies") if isinstance(b, dict)]


def _components(document: Any, kind: str) -> list[Any]:
    components = document.get("components") if isinstance(document, dict) else None
    shared = components.get(kind) if isinstance(components, dict) else None
    return list(shared.values()) if isinstance(shared, dict) else []


_KINDS = {
    "operation": _operations,
    "parameter": _parameters,
    "response": _responses,
    "body": _bodies,
}


@contextlib.contextmanager
def _cache(folder: Path | None) -> Any:
    """The cache in `folder`, or none (`SPECLOOM_NO_CACHE`), for what runs within."""
    saved = {name: os.environ.get(name) for name in ("SPECLOOM_CACHE_DIR", "SPECLOOM_NO_CACHE")}
    if folder is None:
        os.environ["SPECLOOM_NO_CACHE"] = "1"
    else:
        os.environ["SPECLOOM_CACHE_DIR"] = str(folder)
        os.environ.pop("SPECLOOM_NO_CACHE", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _declined() -> list[str]:
    """Why `specloom.operation_edits` declines the runs from now on (made in full)."""
    import specloom.operation_edits as edits

    reasons: list[str] = []

    def patched(*args: Any, **kwargs: Any) -> Any:
        outcome = edits.attempt(*args, **kwargs)
        if isinstance(outcome, str):
            reasons.append(outcome)
            return None
        return outcome

    edits.patched = patched
    return reasons


def _count_loads() -> list[int]:
    """A counter of the runs that load a spec (a patched run loads none)."""
    import specloom.loader

    count = [0]
    original = specloom.loader.load

    def counting(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return original(*args, **kwargs)

    specloom.loader.load = counting
    return count


if __name__ == "__main__":
    sys.exit(main())
