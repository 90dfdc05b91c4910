"""Generation speed and memory: specloom against openapi-python-client, run alternately.

    python benchmarks/generation.py --corpus "$(bash ../shared/corpus/fetch)" --rounds 3

installs the peer (openapi-python-client, by name from the package index) into its own
virtualenv under --work, then for each spec runs `specloom generate` (client and server,
validated, default formatter) and the peer's `generate` (client only, no validation of its
own kind, ruff formatting) one after the other, --rounds times, and prints the medians of
wall time, CPU time (user + system, the processes they start included) and peak memory
(the largest process), with the ratio ours / peer, as a Markdown table; `--json FILE`
also writes every run. Each generated client is then imported --import-rounds times, in
a fresh interpreter each, alternately, for the median time of `import <package>.client`
(and `import httpx, pydantic` alone, the floor of both).

`--regeneration` times instead, per round, a cold run, the regeneration after one
operation's description changed (same output folder, the cache the cold run filled: an
edit of prose that `specloom.doc_edits` patches), one more run on the same, unchanged
spec (the common case in CI), and the regeneration after a query parameter is added to
that operation (a change that runs in full, reusing what the cache holds); with `--yaml`
the spec is written as YAML;
`--validation` compares `specloom validate` (without the cache: each run validates afresh)
with openapi-spec-validator's command.

Specs are corpus names (github, kubernetes, stripe, graph, graph-beta: APIs.guru files
under --corpus), fixture names (discourse, apideck) or paths. `--no-peer` runs specloom
alone (the test suite does that on a tiny spec, to keep this script working).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = "openapi-python-client"
PEER_VERSION = "0.29.1"
CORPUS_SPECS = {
    "github": "github.com/api.github.com.json",
    "kubernetes": "kubernetes.io.json",
    "stripe": "stripe.com.json",
    "graph": "microsoft.com/graph.json",
    "graph-beta": "microsoft.com/graph-beta.json",
}
FIXTURE_SPECS = {
    "discourse": "fixtures/realworld/discourse.json",
    "apideck": "fixtures/realworld/apideck-lead.json",
    "petstore": "fixtures/petstore/petstore.yaml",
}
DEFAULT_SPECS = ["apideck", "discourse", "stripe", "kubernetes", "github"]


@dataclass(frozen=True)
class Run:
    spec: str
    tool: str
    round: int
    exit_code: int
    wall_s: float
    cpu_s: float
    peak_mb: float


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.validation:
        return _validation(args)
    if args.regeneration:
        return _regeneration(args, work)
    tools = {"specloom": _specloom_command}
    if args.also_black:
        tools["specloom --formatter black"] = _specloom_black_command
    if not args.no_peer:
        peer_bin = _install_peer(work / "peer-venv", args.peer_version)
        tools[f"peer {args.peer_version}"] = lambda spec, out: _peer_command(peer_bin, spec, out)
    for tool, command in tools.items():
        _warm_up(command, _env_for(tool, work), work)
    runs: list[Run] = []
    imports: dict[tuple[str, str], float | None] = {}
    for name in args.specs:
        spec = _spec_path(name, args.corpus)
        for round_ in range(1, args.rounds + 1):
            for tool, command in tools.items():
                out = work / "out" / _slug(tool) / _slug(name)
                shutil.rmtree(out, ignore_errors=True)
                run = _measure(name, tool, round_, command(spec, out), _env_for(tool, work))
                runs.append(run)
                print(_progress(run), file=sys.stderr, flush=True)
        timings: dict[str, list[float]] = {tool: [] for tool in tools}
        for _ in range(args.import_rounds):  # alternately, as the runs
            for tool in tools:
                seconds = _import_time(work / "out" / _slug(tool) / _slug(name))
                if seconds is not None:
                    timings[tool].append(seconds)
        for tool, measured in timings.items():
            imports[name, tool] = statistics.median(measured) if measured else None
    print(_table(runs, list(tools), imports))
    floor = statistics.median(_floor_import_time() for _ in range(args.import_rounds))
    print(f"\n`import httpx, pydantic` alone (the floor of any client): {floor:.3f} s")
    _save(args.json, runs, imports)
    return 0


def _save(path: Path | None, runs: list[Run], imports: dict[tuple[str, str], float | None]) -> None:
    """Every run (and import time) to `path`, the `--json` file, when one is given."""
    if path is None:
        return
    records = [asdict(run) for run in runs]
    imported = [{"spec": s, "tool": t, "import_s": v} for (s, t), v in imports.items()]
    path.write_text(json.dumps({"runs": records, "imports": imported}, indent=2))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", default=DEFAULT_SPECS, help="spec names or paths")
    parser.add_argument("--corpus", type=Path, help="the APIs.guru folder (for corpus names)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tool per spec")
    parser.add_argument("--work", type=Path, default=ROOT / "build/bench", help="scratch folder")
    parser.add_argument("--no-peer", action="store_true", help="run specloom alone")
    parser.add_argument("--peer-version", default=PEER_VERSION)
    parser.add_argument(
        "--also-black", action="store_true", help="also run specloom with --formatter black"
    )
    parser.add_argument(
        "--import-rounds", type=int, default=5, help="imports of each generated client"
    )
    parser.add_argument("--json", type=Path, help="write every run to this JSON file")
    parser.add_argument(
        "--regeneration",
        action="store_true",
        help="time regenerating after a one-operation change against a cold run instead",
    )
    parser.add_argument(
        "--yaml",
        action="store_true",
        help="with --regeneration: write the spec as YAML (block style), as most are by hand",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="compare `specloom validate` with `openapi-spec-validator` instead",
    )
    return parser


def _validation(args: argparse.Namespace) -> int:
    """`specloom validate SPEC` against openapi-spec-validator's own command on SPEC."""
    validator = Path(sys.executable).parent / "openapi-spec-validator"
    tools: dict[str, Callable[[str], list[str]]] = {
        "specloom validate": lambda spec: [sys.executable, "-m", "specloom", "validate", spec],
        "openapi-spec-validator": lambda spec: [str(validator), spec],
    }
    runs: list[Run] = []
    for name in args.specs:
        spec = str(_spec_path(name, args.corpus))
        for round_ in range(1, args.rounds + 1):
            for tool, command in tools.items():
                # Validated afresh each time: no findings kept from an earlier round.
                env = {**os.environ, "SPECLOOM_NO_CACHE": "1"}
                run = _measure(name, tool, round_, command(spec), env)
                runs.append(run)
                print(_progress(run), file=sys.stderr, flush=True)
    print(_table(runs, list(tools), {}, baseline="openapi-spec-validator"))
    _save(args.json, runs, {})
    return 0


def _regeneration(args: argparse.Namespace, work: Path) -> int:
    """Per round: a cold run (no result cached, no earlier output), then the same spec with
    one operation's description changed, generated into the same folder with that cache,
    then that spec once more, unchanged."""
    runs: list[Run] = []
    for name in args.specs:
        original = _spec_path(name, args.corpus)
        document = json.loads(original.read_text(encoding="utf-8"))
        spec = work / "regeneration" / f"{_slug(name)}.{'yaml' if args.yaml else 'json'}"
        spec.parent.mkdir(parents=True, exist_ok=True)
        operation = _first_operation(document)
        cache = work / "regeneration" / "cache"
        env = _with_bytecode({**os.environ, "SPECLOOM_CACHE_DIR": str(cache)}, work)
        env.pop("SPECLOOM_NO_CACHE", None)
        _warm_up(_specloom_command, env, work)
        for round_ in range(1, args.rounds + 1):
            out = work / "regeneration" / "out" / _slug(name)
            _empty_but_compiled_templates(cache)
            shutil.rmtree(out, ignore_errors=True)
            operation["description"] = f"Round {round_}, before the change."
            _write_spec(spec, document, args.yaml)
            cold = _measure(name, "cold", round_, _specloom_command(spec, out), env)
            operation["description"] = f"Round {round_}, after the change."
            _write_spec(spec, document, args.yaml)
            warm = _measure(name, "regenerate", round_, _specloom_command(spec, out), env)
            same = _measure(name, "unchanged", round_, _specloom_command(spec, out), env)
            parameters = operation.setdefault("parameters", [])
            assert isinstance(parameters, list)
            parameters.append(_ADDED_PARAMETER)
            _write_spec(spec, document, args.yaml)
            command = _specloom_command(spec, out)
            added = _measure(name, "parameter added", round_, command, env)
            parameters.remove(_ADDED_PARAMETER)
            for run in (cold, warm, same, added):
                runs.append(run)
                print(_progress(run), file=sys.stderr, flush=True)
    tools = ["regenerate", "parameter added", "unchanged", "cold"]
    print(_table(runs, tools, {}, baseline="cold"))
    _save(args.json, runs, {})
    return 0


def _write_spec(spec: Path, document: dict[str, object], as_yaml: bool) -> None:
    if not as_yaml:
        spec.write_text(json.dumps(document), encoding="utf-8")
        return
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True)
    spec.write_text(text, encoding="utf-8")


_ADDED_PARAMETER = {"name": "specloom_benchmark", "in": "query", "schema": {"type": "integer"}}
"""The parameter a `--regeneration` round adds to the operation it edits."""


def _empty_but_compiled_templates(cache: Path) -> None:
    """`cache` without any result of an earlier run; compiled templates stay, as bytecode
    does (docs/cache.md)."""
    for entry in cache.glob("*"):
        if entry.name != "templates":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _first_operation(document: dict[str, object]) -> dict[str, object]:
    paths = document["paths"]
    assert isinstance(paths, dict)
    for item in paths.values():
        for method in ("get", "put", "post", "delete", "patch"):
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                operation: dict[str, object] = item[method]
                return operation
    raise SystemExit("the spec has no operation to change")


def _spec_path(name: str, corpus: Path | None) -> Path:
    if name in FIXTURE_SPECS:
        return ROOT / FIXTURE_SPECS[name]
    if name in CORPUS_SPECS:
        if corpus is None:
            raise SystemExit(f"{name}: pass --corpus (the folder `shared/corpus/fetch` prints)")
        return corpus / CORPUS_SPECS[name]
    path = Path(name)
    if not path.is_file():
        raise SystemExit(f"{name}: not a known spec name nor a file")
    return path


def _specloom_command(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "specloom", "generate", str(spec), "--out", str(out)]


def _specloom_black_command(spec: Path, out: Path) -> list[str]:
    return [*_specloom_command(spec, out), "--formatter", "black"]


def _peer_command(peer_bin: Path, spec: Path, out: Path) -> list[str]:
    generate = [str(peer_bin / "openapi-python-client"), "generate", "--path", str(spec)]
    return [*generate, "--output-path", str(out), "--overwrite"]


def _install_peer(venv: Path, version: str) -> Path:
    """The peer, in a virtualenv of its own (its pins never meet ours)."""
    binaries = venv / "bin"
    installed = venv / f"installed-{version}"
    if not installed.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(binaries / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"{PEER}=={version}"], check=True)
        installed.touch()
    return binaries


def _warm_up(command: Callable[[Path, Path], list[str]], env: dict[str, str], work: Path) -> None:
    """One unmeasured run on a small spec: each tool's modules byte-compiled (and
    specloom's templates compiled), as after installing it; see `_with_bytecode`."""
    out = work / "out" / "warm-up"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(command(ROOT / FIXTURE_SPECS["petstore"], out), env=env, capture_output=True)


def _with_bytecode(env: dict[str, str], work: Path) -> dict[str, str]:
    """`env` where both tools keep their modules' bytecode (under --work), as an installed
    package has it: an editable install under PYTHONDONTWRITEBYTECODE compiles every one
    of specloom's modules from source at each start, which no user's install does."""
    env = {**env, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _env_for(tool: str, work: Path) -> dict[str, str]:
    env = _with_bytecode(dict(os.environ), work)
    env["SPECLOOM_NO_CACHE"] = "1"  # every run is a cold run (of results: see docs/cache.md)
    if tool.startswith("peer"):
        # The peer runs `ruff` from PATH after generating: its own.
        env["PATH"] = f"{work / 'peer-venv/bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _measure(spec: str, tool: str, round_: int, command: list[str], env: dict[str, str]) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # wait4's usage covers the process and every descendant it waited for (ruff, a
    # forked validator); ru_maxrss is the largest of them, in KiB on Linux.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(spec, tool, round_, process.returncode, wall, cpu, usage.ru_maxrss / 1024)


def _import_time(out: Path) -> float | None:
    """Seconds for `import <package>.client` of the generated tree in a fresh interpreter."""
    clients = sorted(out.glob("*/client.py"))
    if not clients:
        return None
    package = clients[0].parent.name
    code = (
        "import time; t = time.perf_counter(); "
        f"import {package}.client; print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": str(out)}
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return float(completed.stdout) if completed.returncode == 0 else None


def _floor_import_time() -> float:
    """Seconds for `import httpx, pydantic` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import httpx, pydantic; "
    code += "print(time.perf_counter() - t)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(completed.stdout)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")


def _progress(run: Run) -> str:
    return (
        f"{run.spec:12} {run.tool:28} round {run.round}: exit {run.exit_code}, "
        f"{run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.peak_mb:.0f} MB"
    )


def _table(
    runs: list[Run],
    tools: list[str],
    imports: dict[tuple[str, str], float | None],
    baseline: str = "peer",
) -> str:
    specs = list(dict.fromkeys(run.spec for run in runs))
    header = "| spec | tool | exit | wall (median) | CPU (median) | peak memory | import client |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for spec in specs:
        medians: dict[str, tuple[float, float, float]] = {}
        for tool in tools:
            mine = [run for run in runs if run.spec == spec and run.tool == tool]
            if not mine:
                continue
            wall = statistics.median(run.wall_s for run in mine)
            cpu = statistics.median(run.cpu_s for run in mine)
            peak = statistics.median(run.peak_mb for run in mine)
            medians[tool] = (wall, cpu, peak)
            exits = ",".join(sorted({str(run.exit_code) for run in mine}))
            imported = imports.get((spec, tool))
            shown = "-" if imported is None else f"{imported:.2f} s"
            lines.append(
                f"| {spec} | {tool} | {exits} | {wall:.2f} s | {cpu:.2f} s | {peak:.0f} MB "
                f"| {shown} |"
            )
        peer = next((tool for tool in tools if tool.startswith(baseline)), None)
        for tool in tools:
            if tool == peer or tool not in medians or peer not in medians:
                continue
            ours, theirs = medians[tool], medians[peer]
            ratios = [f"{a / b:.2f}x" if b else "-" for a, b in zip(ours, theirs, strict=True)]
            row = f"| {spec} | {tool} / {peer} | | {ratios[0]} | {ratios[1]} | {ratios[2]} | |"
            lines.append(row)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
