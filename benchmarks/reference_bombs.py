"""Time `specloom.pipeline.check` (load, validate, parse) on reference bombs, against an
older checkout of the generator.

    python benchmarks/reference_bombs.py --before /tmp/before/generator --runs 3

A reference bomb of depth d has d levels of `allOf` with six `$ref`s each to the level
below: 6**d paths through a few KB of JSON. Runs alternate ours/before; each run is a
fresh interpreter; a run over `--timeout` seconds counts as the timeout. Prints the
median seconds per side and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = "from specloom.pipeline import check; import sys; check(sys.argv[1])"


def bomb(depth: int) -> dict[str, object]:
    schemas: dict[str, object] = {"S0": {"type": "object", "properties": {"a": {"type": "string"}}}}
    for level in range(1, depth + 1):
        schemas[f"S{level}"] = {"allOf": [{"$ref": f"#/components/schemas/S{level - 1}"}] * 6}
    top = {"$ref": f"#/components/schemas/S{depth}"}
    ok = {"description": "ok", "content": {"application/json": {"schema": top}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "bomb", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }


def timed(spec: Path, pythonpath: str | None, timeout: float) -> float:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", RUN, str(spec)], env=env, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return timeout
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the `generator` folder of an older checkout")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--depths", type=int, nargs="+", default=[5, 6, 7, 8])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    for depth in args.depths:
        spec = folder / f"bomb{depth}.json"
        spec.write_text(json.dumps(bomb(depth)))
        ours: list[float] = []
        before: list[float] = []
        for _ in range(args.runs):
            ours.append(timed(spec, None, args.timeout))
            if args.before:
                before.append(timed(spec, args.before, args.timeout))
        line = (
            f"depth {depth} ({spec.stat().st_size:,} bytes): ours {statistics.median(ours):.2f} s"
        )
        if before:
            old = statistics.median(before)
            shown = f">={old:.0f} s (timeout)" if old >= args.timeout else f"{old:.2f} s"
            line += f", before {shown}, ratio {old / statistics.median(ours):.0f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
