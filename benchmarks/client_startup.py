"""Startup of the generated GitHub client, specloom against openapi-python-client, alternately.

    python benchmarks/generation.py github --corpus "$(bash ../shared/corpus/fetch)" --rounds 1
    python benchmarks/client_startup.py --corpus "$(bash ../shared/corpus/fetch)" --rounds 11

reads the two packages that generation.py leaves under its --work folder (or the trees
given with --ours and --peer; `--no-peer` times ours alone, `--spec` names the spec the
trees were generated from when it is not the corpus's) and times, each in a fresh
interpreter:

- `import`: `import <package>.client`, as generation.py does;
- `first call`: the import, then `import httpx`, making a client over one
  `httpx.MockTransport` and one call, `GET /rate_limit`, answered with the spec's own
  example and parsed into the package's `RateLimitOverview` model.

The second is what a program pays before its first answer: a cost moved from the import
to the first client or call shows there. Rounds alternate ours / peer; medians, with the
ratio ours / peer, and `import httpx, pydantic` alone (the floor of both) for reference.

Both trees are byte-compiled first, as `pip install` does: a tree generated and imported
in place with PYTHONDONTWRITEBYTECODE set compiles every module it reads on every import.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = "github.com/api.github.com.json"
EXAMPLE = "rate-limit-overview"
BASE_URL = "https://api.github.com"

IMPORT = """
import time
t = time.perf_counter()
import {package}.client
print(time.perf_counter() - t)
"""

OURS_FIRST_CALL = """
import json, sys, time
body = json.loads(sys.stdin.read())
t = time.perf_counter()
import httpx
from {package}.client import Client

def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=body)

http = httpx.Client(base_url={base_url!r}, transport=httpx.MockTransport(answer))
with Client(http_client=http) as client:
    overview = client.rate_limit.rate_limit_get()
elapsed = time.perf_counter() - t
assert overview.rate.limit == body["rate"]["limit"], overview
print(elapsed)
"""

PEER_FIRST_CALL = """
import json, sys, time
body = json.loads(sys.stdin.read())
t = time.perf_counter()
import httpx
from {package}.client import Client
from {package}.api.rate_limit import rate_limitget

def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=body)

transport = httpx.MockTransport(answer)
with Client(base_url={base_url!r}, httpx_args={{"transport": transport}}) as client:
    overview = rate_limitget.sync(client=client)
elapsed = time.perf_counter() - t
assert overview.rate.limit == body["rate"]["limit"], overview
print(elapsed)
"""

FLOOR = """
import time
t = time.perf_counter()
import httpx, pydantic
print(time.perf_counter() - t)
"""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    bench = args.work.resolve() / "out"
    trees = {"specloom": args.ours or bench / "specloom" / "github"}
    if not args.no_peer:
        peer = f"peer-{args.peer_version.replace('.', '-')}"
        trees["peer"] = args.peer or bench / peer / "github"
    if args.spec is None and args.corpus is None:
        raise SystemExit("pass --corpus (the folder `shared/corpus/fetch` prints) or --spec")
    body = _example(args.spec or args.corpus / SPEC)
    for tree in trees.values():
        compileall = [sys.executable, "-m", "compileall", "-q", str(tree)]
        # The peer's tree can hold a file its formatter failed on; compile the rest.
        subprocess.run(compileall, check=False, stdout=subprocess.DEVNULL)
    programs = {"specloom": OURS_FIRST_CALL, "peer": PEER_FIRST_CALL}
    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        # Alternately, and which side goes first alternates too.
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for tool in order:
            tree = trees[tool]
            package = _package(tree)
            imported = _timed(IMPORT.format(package=package), tree)
            first = _timed(
                programs[tool].format(package=package, base_url=BASE_URL), tree, stdin=body
            )
            times.setdefault((tool, "import"), []).append(imported)
            times.setdefault((tool, "first call"), []).append(first)
        times.setdefault(("httpx + pydantic", "import"), []).append(_timed(FLOOR, None))
    print(_table(times, args.rounds))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="the APIs.guru folder")
    parser.add_argument("--spec", type=Path, help="the spec file (default: GitHub's in --corpus)")
    parser.add_argument("--rounds", type=int, default=11, help="runs of each side")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build/bench", help="generation.py's --work folder"
    )
    parser.add_argument("--ours", type=Path, help="specloom's generated tree (default: --work's)")
    parser.add_argument("--peer", type=Path, help="the peer's generated tree (default: --work's)")
    parser.add_argument("--peer-version", default="0.29.1")
    parser.add_argument("--no-peer", action="store_true", help="time specloom's tree alone")
    return parser


def _example(spec: Path) -> str:
    """The spec's example answer of `GET /rate_limit`, as JSON text."""
    document = json.loads(spec.read_text(encoding="utf-8"))
    return json.dumps(document["components"]["examples"][EXAMPLE]["value"])


def _package(tree: Path) -> str:
    clients = sorted(tree.glob("*/client.py"))
    if not clients:
        raise SystemExit(f"{tree}: no generated package (run benchmarks/generation.py first)")
    return clients[0].parent.name


def _timed(code: str, tree: Path | None, stdin: str = "") -> float:
    """The seconds `code` prints, run in a fresh interpreter with `tree` on its path."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    completed = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"failed in {tree}:\n{completed.stderr}")
    return float(completed.stdout)


def _table(times: dict[tuple[str, str], list[float]], rounds: int) -> str:
    lines = [
        f"| what | specloom (median of {rounds}) | peer | ratio |",
        "|---|---|---|---|",
    ]
    for step in ("import", "first call"):
        ours = statistics.median(times["specloom", step])
        label = "import client" if step == "import" else "import + Client + first call"
        if ("peer", step) in times:
            theirs = statistics.median(times["peer", step])
            compared = f"{theirs * 1000:.0f} ms | {ours / theirs:.2f}x"
        else:
            compared = "- | -"
        lines.append(f"| {label} | {ours * 1000:.0f} ms | {compared} |")
    floor = statistics.median(times["httpx + pydantic", "import"])
    lines.append(f"| `import httpx, pydantic` alone | {floor * 1000:.0f} ms | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
