"""Sweep a folder of real-world specs through the generator and report what fails where.

    python scripts/corpus_sweep.py "$(../shared/corpus/fetch)" --sample 150 --seed 1 --mypy

Each spec goes through the stages of `specloom.pipeline.generate` (with
`skip_validation=True`: real specs are often a little invalid; `--default-options` fails a
spec whose validation finds an error, as the CLI does by default) one at a time, so a
failure is pinned to its stage: load, validate, parse, render, format, then write (the
package into a temporary folder), import (the models, client and server modules in a
fresh interpreter, warnings as errors; with `--build-models`, every model's validator
built too, as its first use would) and, with `--mypy`, `mypy --strict`. Validation
problems do not stop a spec; only a validator crash does.

Prints one line per failing spec (`FAIL <spec> <stage>: <reason>`), then pass rates per
stage, how the specs ended (`KINDS`: a clean diagnostic, a traceback, a timeout, ...), the
operations present of those declared and the most common failure reasons; `--results`
keeps one JSON line per spec, which `--resume` continues from. Specs run in a pool of
worker processes; a stage that takes longer than `--timeout` seconds fails the spec and
replaces its worker.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

import yaml

from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.loader import load
from specloom.parser import parse
from specloom.parser.paths import HTTP_METHODS
from specloom.render import render
from specloom.render.format import format_files
from specloom.validate import validate
from specloom.write import write_tree

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "validate", "parse", "render", "format", "write", "import", "mypy")
PACKAGE = "swept_api"
MODULES = ("models", "client", "server")
TASKS_PER_WORKER = 40
"""Workers are replaced after this many specs, so memory from huge specs is given back."""
PROGRESS_EVERY = 50
"""A progress line goes to stderr after every this many specs."""
GRACE = 10.0
"""Seconds a worker gets beyond `--timeout` to report a subprocess' own timeout."""


@dataclass(frozen=True)
class Options:
    mypy: bool
    timeout: float
    default_options: bool
    """Fail a spec whose validation finds an error, as `specloom generate` does by default."""
    scratch: Path
    """A folder for generated packages and mypy caches, removed when the sweep ends."""
    mypy_cache: Path | None = None
    """This worker's mypy cache: reused from spec to spec for stdlib, pydantic and httpx."""
    build_models: bool = False
    """At import, also build every model's and type alias' validator (generated models
    build theirs on first use, so an error there shows only when a model is first used)."""


KINDS = ("passed", "diagnostic", "traceback", "timeout", "died", "generated")
"""How a spec ended: every stage passed; the generator stopped with an error diagnostic (a
clean stop); the generator raised (a traceback); a stage ran out of time; the worker died;
or the generated package failed to import or type-check."""


@dataclass(frozen=True)
class Outcome:
    """How far one spec got: `failed_stage` is None when every stage passed."""

    spec: str
    failed_stage: str | None
    reason: str
    validation_problems: int | None
    """How many problems validation found; None when it did not finish."""
    seconds: float
    kind: str = "passed"
    """One of `KINDS`."""
    operations_declared: int | None = None
    """Operations under the spec's `paths`; None when the spec could not be read."""
    operations_generated: int | None = None
    """Operations in the parsed API (one client method each); None when parsing failed."""


class StageFailure(Exception):
    """A stage of one spec failed; the message is the one-line reason."""

    def __init__(self, stage: str, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.stage = stage
        self.reason = reason
        self.kind = kind


def sweep_one(spec: Path, options: Options, report_stage: StageReporter) -> Outcome:
    """Run every stage on `spec`; never raises."""
    started = time.perf_counter()
    state = _SpecState()
    try:
        _run_stages(spec, options, report_stage, state)
    except StageFailure as failure:
        return Outcome(
            str(spec),
            failure.stage,
            failure.reason,
            state.problems,
            _since(started),
            failure.kind,
            state.declared,
            state.generated,
        )
    return Outcome(
        str(spec),
        None,
        "",
        state.problems,
        _since(started),
        "passed",
        state.declared,
        state.generated,
    )


class StageReporter:
    """Tells the sweep's parent which stage a spec is in (so a timeout names the stage)."""

    def __init__(self, connection: Connection | None) -> None:
        self._connection = connection

    def __call__(self, stage: str) -> None:
        if self._connection is not None:
            self._connection.send(("stage", stage))


@dataclass
class _SpecState:
    problems: int | None = None
    stage: str = "load"
    declared: int | None = None
    generated: int | None = None


def count_declared_operations(document: Mapping[str, object]) -> int:
    """The operations a spec declares: each operation field of each path item (a local
    `$ref`ed path item followed), counted without the parser, so that an operation the
    parser drops still counts."""
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return 0
    count = 0
    for path, item in paths.items():
        if not isinstance(path, str) or path.startswith("x-"):
            continue
        item = _follow_local(document, item)
        if not isinstance(item, Mapping):
            continue
        count += sum(method in item for method in HTTP_METHODS)
        additional = item.get("additionalOperations")
        if isinstance(additional, Mapping):
            count += len(additional)
    return count


def _follow_local(document: Mapping[str, object], item: object) -> object:
    for _ in range(10):
        if not isinstance(item, Mapping) or not isinstance(item.get("$ref"), str):
            return item
        ref = str(item["$ref"])
        if not ref.startswith("#/"):
            return item
        target: object = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        item = target
    return item


def _declared_from_file(spec: Path) -> int | None:
    """The declared operations of a spec the loader could not load, read as plain YAML
    (which JSON is too); None when even that fails."""
    try:
        document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    return count_declared_operations(document) if isinstance(document, dict) else None


def _run_stages(spec: Path, options: Options, report: StageReporter, state: _SpecState) -> None:
    def enter(stage: str) -> None:
        state.stage = stage
        report(stage)

    try:
        enter("load")
        loaded, diagnostics = load(spec)
        if loaded is None or has_errors(diagnostics):
            state.declared = _declared_from_file(spec)
            raise StageFailure("load", _first_error(diagnostics), "diagnostic")
        state.declared = count_declared_operations(loaded.document)
        enter("validate")
        found = validate(loaded)
        state.problems = len(found)
        if options.default_options and has_errors(found):
            raise StageFailure("validate", _first_error(found), "diagnostic")
        enter("parse")
        api, parse_diagnostics = parse(loaded.document)
        if has_errors(parse_diagnostics):
            raise StageFailure("parse", _first_error(parse_diagnostics), "diagnostic")
        state.generated = sum(len(service.operations) for service in api.services)
        enter("render")
        rendered = render(api, GenerateConfig(package_name=PACKAGE))
        enter("format")
        files = format_files(rendered)
        enter("write")
        with tempfile.TemporaryDirectory(dir=options.scratch) as folder:
            problems = write_tree(Path(folder) / "out", files)
            if problems:
                raise StageFailure("write", _first_error(problems), "diagnostic")
            enter("import")
            _check_imports(Path(folder) / "out", options.timeout, options.build_models)
            if options.mypy:
                enter("mypy")
                _check_types(Path(folder) / "out", options)
    except StageFailure:
        raise
    except subprocess.TimeoutExpired as exc:
        reason = f"timed out after {options.timeout:g} s"
        raise StageFailure(state.stage, reason, "timeout") from exc
    except Exception as exc:
        raise StageFailure(state.stage, _describe_crash(exc), "traceback") from exc


def _check_imports(project: Path, timeout: float, build_models: bool = False) -> None:
    statement = "; ".join(f"import {PACKAGE}.{module}" for module in MODULES)
    if build_models:
        statement += "; " + _BUILD_MODELS.format(package=PACKAGE)
    completed = _run([sys.executable, "-W", "error", "-c", statement], project, {}, timeout)
    if completed.returncode != 0:
        reason = _last_line(completed.stderr or completed.stdout)
        raise StageFailure("import", reason, "generated")


_BUILD_MODELS = (
    "from pydantic import BaseModel, TypeAdapter; "
    "models = {package}.models; "
    "built = [getattr(models, name) for name in models.__all__]; "
    "[item.model_rebuild(force=True) if isinstance(item, type) and issubclass(item, BaseModel) "
    "else None if isinstance(item, type) else TypeAdapter(item) for item in built]"
)
"""Builds every model's validator (and a type alias' adapter): enums and other classes
need no building."""


def _check_types(project: Path, options: Options) -> None:
    cache = options.mypy_cache or options.scratch / "mypy-cache"
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache)]
    command += ["--no-error-summary", "--hide-error-context", "-p", PACKAGE]
    # The runtime is installed in editable mode, which mypy cannot follow: point at its source.
    completed = _run(command, project, {"MYPYPATH": str(ROOT / "runtime")}, options.timeout)
    if completed.returncode != 0:
        errors = [line for line in completed.stdout.splitlines() if ": error:" in line]
        first = errors[0] if errors else _last_line(completed.stdout + completed.stderr)
        raise StageFailure("mypy", f"{first} ({len(errors)} errors)", "generated")


def _run(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(cwd), **env}
    return subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _first_error(diagnostics: Sequence[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    first = errors[0] if errors else Diagnostic(Level.ERROR, "failed without a diagnostic")
    where = f" (at #{first.pointer})" if first.pointer else ""
    more = f" [+{len(errors) - 1} more]" if len(errors) > 1 else ""
    return _one_line(first.message) + where + more


def _describe_crash(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/generator/" in f.filename or "/templates/" in f.filename]
    where = ""
    if ours:
        frame = ours[-1]
        where = f" ({Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno})"
    return f"crash {type(exc).__name__}: {_one_line(str(exc))}{where}"


def _last_line(text: str) -> str:
    """The exception a traceback ends with (pydantic adds a line of its own after it), else
    the last line."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    raised = [line for line in lines if _RAISED.match(line)]
    return _one_line((raised or lines)[-1]) if lines else "no output"


_RAISED = re.compile(r"(?:[A-Za-z_]\w*\.)*[A-Z]\w*(: |$)")
"""`pydantic.errors.PydanticUndefinedAnnotation: ...`, `KeyError: 'x'`, `SystemExit`."""


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _since(started: float) -> float:
    return time.perf_counter() - started


# --- the pool -------------------------------------------------------------------------------


def _worker_main(connection: Connection, options: Options) -> None:
    # The validator compiles the spec's patterns and warns about some; that is not news here.
    warnings.simplefilter("ignore")
    report = StageReporter(connection)
    while (spec := connection.recv()) is not None:
        connection.send(("done", sweep_one(Path(spec), options, report)))


@dataclass
class _Worker:
    slot: int
    process: BaseProcess
    connection: Connection
    spec: str | None = None
    stage: str = ""
    deadline: float = 0.0
    tasks: int = 0


class _Pool:
    """Worker processes that each sweep one spec at a time, replaced when stuck or worn."""

    def __init__(self, options: Options, size: int) -> None:
        self._options = options
        self._context = multiprocessing.get_context("fork")
        self.workers = [self._start(slot) for slot in range(size)]

    def _start(self, slot: int) -> _Worker:
        parent, child = self._context.Pipe()
        options = replace(self._options, mypy_cache=self._options.scratch / f"mypy-cache-{slot}")
        process = self._context.Process(target=_worker_main, args=(child, options), daemon=True)
        process.start()
        child.close()
        return _Worker(slot, process, parent)

    def assign(self, worker: _Worker, spec: str) -> None:
        worker.spec, worker.stage, worker.tasks = spec, "load", worker.tasks + 1
        worker.deadline = time.monotonic() + self._options.timeout + GRACE
        worker.connection.send(spec)

    def renew(self, worker: _Worker, *, kill: bool) -> _Worker:
        """A fresh worker in `worker`'s slot; the old one is stopped (killed if stuck)."""
        if kill:
            worker.process.kill()
        else:
            worker.connection.send(None)
        worker.process.join()
        worker.connection.close()
        fresh = self._start(worker.slot)
        self.workers[worker.slot] = fresh
        return fresh

    def outcome(self, worker: _Worker) -> Outcome | None:
        """The worker's finished outcome, or None when it only reported a new stage."""
        try:
            kind, payload = worker.connection.recv()
        except EOFError:
            reason = "worker died (out of memory?)"
            declared = _declared_from_file(Path(str(worker.spec)))
            return Outcome(str(worker.spec), worker.stage, reason, None, 0, "died", declared)
        if kind == "stage":
            worker.stage = payload
            worker.deadline = time.monotonic() + self._options.timeout + GRACE
            return None
        assert isinstance(payload, Outcome)
        return payload

    def close(self) -> None:
        for worker in self.workers:
            worker.connection.send(None)
            worker.process.join()


def sweep(specs: Sequence[Path], options: Options, workers: int) -> Iterator[Outcome]:
    """Outcomes of `specs`, in the order they finish, from `workers` worker processes."""
    pending = [str(spec) for spec in reversed(specs)]
    pool = _Pool(options, min(workers, len(pending)))
    for worker in pool.workers:
        pool.assign(worker, pending.pop())
    while busy := [worker for worker in pool.workers if worker.spec is not None]:
        timeout = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
        ready = wait([worker.connection for worker in busy], timeout=timeout)
        for worker in busy:
            if worker.connection in ready:
                outcome = pool.outcome(worker)
                if outcome is None:
                    continue
                died = outcome.reason.startswith("worker died")
            elif time.monotonic() >= worker.deadline:
                reason = f"timed out after {options.timeout:g} s"
                declared = _declared_from_file(Path(str(worker.spec)))
                outcome = Outcome(
                    str(worker.spec),
                    worker.stage,
                    reason,
                    None,
                    options.timeout,
                    "timeout",
                    declared,
                )
                died = True
            else:
                continue
            yield outcome
            worker.spec = None
            if died or worker.tasks >= TASKS_PER_WORKER:
                worker = pool.renew(worker, kill=died)
            if pending:
                pool.assign(worker, pending.pop())
    pool.close()


# --- reporting ------------------------------------------------------------------------------


def reason_group(outcome: Outcome) -> str:
    """A failure reason with the spec-specific parts (names, numbers, places) blanked out."""
    reason = re.sub(r"^\S+\.py:\d+: error: ", "", outcome.reason)
    reason = re.sub(r"\(at #[^)]*\)|\[\+\d+ more\]|\(\d+ errors\)", "", reason)
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason)
    reason = re.sub(r"\b\d+\b", "N", reason)
    return f"{outcome.failed_stage}: {' '.join(reason.split())}"


def summary(outcomes: Sequence[Outcome], stages: Sequence[str], corpus: Path, top: int) -> str:
    """Pass rates per stage (of the specs that reached it), the slowest specs and the most
    common failure reasons."""
    lines = [f"{len(outcomes)} specs"]
    reached = list(outcomes)
    for stage in stages:
        passed = [o for o in reached if o.failed_stage != stage]
        line = f"  {stage:<8}  {len(passed):5d}/{len(reached):<5d} {_percent(passed, reached)}"
        if stage == "validate":
            valid = sum(o.validation_problems == 0 for o in reached)
            line += f"   ({valid} with no validation problems)"
        lines.append(line)
        reached = passed
    lines.append(
        f"  {'all':<8}  {len(reached):5d}/{len(outcomes):<5d} {_percent(reached, outcomes)}"
    )
    kinds = Counter(o.kind for o in outcomes)
    lines.append("ended: " + ", ".join(f"{kind} {kinds[kind]}" for kind in KINDS))
    lines.append(operations_line(outcomes))
    slowest = sorted(outcomes, key=lambda o: o.seconds, reverse=True)[:5]
    named = (f"{Path(o.spec).relative_to(corpus)} {o.seconds:.0f} s" for o in slowest)
    lines.append("slowest: " + ", ".join(named))
    groups = Counter(reason_group(o) for o in outcomes if o.failed_stage is not None)
    if groups:
        lines.append("most common failure reasons:")
        lines += [f"  {count:4d}  {group}" for group, count in groups.most_common(top)]
    return "\n".join(lines)


def operations_line(outcomes: Sequence[Outcome]) -> str:
    """Operations present (generated by a spec whose package imports) of those declared."""
    declared = sum(o.operations_declared or 0 for o in outcomes)
    present = sum(o.operations_generated or 0 for o in outcomes if _imported(o))
    unknown = sum(o.operations_declared is None for o in outcomes)
    share = f"{100 * present / declared:.2f}%" if declared else "-"
    unread = f" ({unknown} specs unreadable, not counted)" if unknown else ""
    return f"operations present {present}/{declared} declared {share}{unread}"


def _imported(outcome: Outcome) -> bool:
    return outcome.failed_stage in (None, "mypy")


def _percent(part: Sequence[Outcome], whole: Sequence[Outcome]) -> str:
    return f"{100 * len(part) / len(whole):5.1f}%" if whole else "    -"


# --- command line ---------------------------------------------------------------------------


def select_specs(
    corpus: Path, *, sample: int | None, seed: int, limit: int | None, shuffle: bool = False
) -> list[Path]:
    """The corpus' JSON/YAML specs in path order (or, with `shuffle`, in a seeded random
    order); a seeded random sample, then the first N."""
    specs = sorted(path for path in corpus.rglob("*") if path.suffix in (".json", ".yaml", ".yml"))
    if sample is not None and sample < len(specs):
        specs = sorted(random.Random(seed).sample(specs, sample))
    if shuffle:
        random.Random(seed).shuffle(specs)
    return specs if limit is None else specs[:limit]


def read_results(path: Path) -> list[Outcome]:
    """The outcomes a `--results` file holds (a line cut short by a stopped run is skipped)."""
    outcomes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            outcomes.append(Outcome(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return outcomes


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path, help="a folder of OpenAPI specs (searched deeply)")
    parser.add_argument("--limit", type=int, help="sweep only the first N specs (by path)")
    parser.add_argument("--sample", type=int, help="sweep a random sample of N specs")
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    parser.add_argument(
        "--shuffle",
        action="store_true",
        help="sweep in a random order (seeded by --seed), so a run stopped early is a fair sample",
    )
    parser.add_argument("--mypy", action="store_true", help="also run mypy --strict on each")
    parser.add_argument(
        "--build-models",
        action="store_true",
        help="at import, also build every model's validator (built on first use otherwise)",
    )
    parser.add_argument(
        "--default-options",
        action="store_true",
        help="fail a spec on validation errors, as `specloom generate` does without "
        "--skip-validation",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per stage")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--top", type=int, default=25, help="failure groups to list")
    parser.add_argument(
        "--results",
        type=Path,
        help="also write one JSON object per spec to this file (JSON lines), as each finishes",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="with --results: keep the file's outcomes, sweep only the specs it lacks, append",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    specs = select_specs(
        args.corpus, sample=args.sample, seed=args.seed, limit=args.limit, shuffle=args.shuffle
    )
    if args.resume and args.results is None:
        print("--resume needs --results", file=sys.stderr)
        return 2
    if not specs:
        print(f"no specs found in {args.corpus}", file=sys.stderr)
        return 2
    total = len(specs)
    stages = STAGES if args.mypy else STAGES[:-1]
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    if args.resume and args.results.exists():
        selected = {str(spec) for spec in specs}
        outcomes = [o for o in read_results(args.results) if o.spec in selected]
        done = {o.spec for o in outcomes}
        specs = [spec for spec in specs if str(spec) not in done]
    with tempfile.TemporaryDirectory(prefix="specloom-sweep-") as scratch:
        options = Options(
            mypy=args.mypy,
            timeout=args.timeout,
            default_options=args.default_options,
            scratch=Path(scratch),
            build_models=args.build_models,
        )
        mode = "a" if args.resume else "w"
        results = args.results.open(mode, encoding="utf-8") if args.results else None
        for outcome in sweep(specs, options, args.workers):
            outcomes.append(outcome)
            if results is not None:
                results.write(json.dumps(asdict(outcome)) + "\n")
                results.flush()
            if outcome.failed_stage is not None:
                name = Path(outcome.spec).relative_to(args.corpus)
                print(f"FAIL {name} {outcome.failed_stage}: {outcome.reason}", flush=True)
            if len(outcomes) % PROGRESS_EVERY == 0:
                progress = f"{len(outcomes)}/{total} specs, {_since(started):.0f} s"
                print(progress, file=sys.stderr, flush=True)
        if results is not None:
            results.close()
    print(summary(outcomes, stages, args.corpus, args.top))
    print(f"{_since(started):.0f} s with {args.workers} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
