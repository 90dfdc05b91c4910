"""The `specloom` command line: `generate` and `validate`.

Exit codes: 0 success, 1 the spec has errors (or warnings with --strict, or the
generated tree is stale with --check), 2 usage errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from specloom import __version__
from specloom.config import FORMATTERS, TARGETS, GenerateConfig, package_name_problem
from specloom.diagnostics import Diagnostic, Level
from specloom.loading.policy import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_URL_DEADLINE_SECONDS,
    ReadPolicy,
)

EXIT_OK = 0
EXIT_SPEC_ERRORS = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate(parser, args)
    return _validate(args)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specloom",
        description="Generate typed Python clients and Starlette servers from OpenAPI documents.",
    )
    parser.add_argument("--version", action="version", version=f"specloom {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="generate a client and/or server package from a spec",
        description="Generate an installable Python package (client, server or both) from an "
        "OpenAPI 3.x document. Nothing is written unless the whole run succeeds.",
    )
    generate.add_argument(
        "spec", help="the OpenAPI document: a YAML or JSON file, or an http(s) URL"
    )
    generate.add_argument(
        "--out", required=True, type=Path, help="the folder to write the package project into"
    )
    generate.add_argument(
        "--name",
        help="the generated package's import name (default: the --out folder's name)",
    )
    generate.add_argument(
        "--target", choices=TARGETS, default="all", help="what to generate (default: all)"
    )
    generate.add_argument("--strict", action="store_true", help="fail on warnings too")
    generate.add_argument(
        "--formatter",
        choices=FORMATTERS,
        default="ruff",
        help="how the Python files are formatted: ruff (default; black-formatted output, "
        "fast), black (the reference, slow on large specs) or none (as rendered)",
    )
    generate.add_argument(
        "--skip-validation",
        action="store_true",
        help="do not run the OpenAPI validation; generate from the spec as loaded",
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the files in --out differ from what would be generated",
    )
    _add_reading_options(generate)

    validate = commands.add_parser(
        "validate",
        help="check a spec and print its diagnostics",
        description="Load, validate and parse an OpenAPI document and print every problem found.",
    )
    validate.add_argument(
        "spec", help="the OpenAPI document: a YAML or JSON file, or an http(s) URL"
    )
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    _add_reading_options(validate)
    return parser


def _add_reading_options(command: argparse.ArgumentParser) -> None:
    reading = command.add_argument_group(
        "reading",
        "By default $refs read only files under the spec's folder (or, for a URL "
        "spec, URLs of its origin).",
    )
    reading.add_argument(
        "--allow-ref-root",
        action="append",
        default=[],
        metavar="DIR",
        help="also let $refs read files under DIR (repeatable)",
    )
    reading.add_argument(
        "--allow-remote-refs", action="store_true", help="let $refs read any http(s) URL"
    )
    reading.add_argument(
        "--max-document-size",
        type=_size,
        default=DEFAULT_MAX_DOCUMENT_BYTES,
        metavar="SIZE",
        help="the largest file or URL read, in bytes, or with a K, M or G suffix (default: 64M)",
    )
    reading.add_argument(
        "--url-deadline",
        type=float,
        default=DEFAULT_URL_DEADLINE_SECONDS,
        metavar="SECONDS",
        help="the longest one URL download may take, start to end (default: 60)",
    )


def _size(text: str) -> int:
    found = re.fullmatch(r"([0-9]+)([KMG]?)", text.strip().upper())
    if found is None or int(found[1]) == 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1000000, 500K or 64M)")
    return int(found[1]) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[found[2]]


def _read_policy(args: argparse.Namespace) -> ReadPolicy:
    return ReadPolicy(
        ref_roots=tuple(args.allow_ref_root),
        allow_remote_refs=args.allow_remote_refs,
        max_document_bytes=args.max_document_size,
        url_deadline_seconds=args.url_deadline,
    )


def _generate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from specloom.pipeline import generate
    from specloom.write import differences, write_tree

    out_dir: Path = args.out
    name: str = args.name if args.name is not None else out_dir.resolve().name.replace("-", "_")
    problem = package_name_problem(name)
    if problem is not None:
        hint = "" if args.name is not None else " (derived from --out; pass --name)"
        parser.error(problem + hint)
    config = GenerateConfig(
        package_name=name, target=args.target, strict=args.strict, formatter=args.formatter
    )
    policy = _read_policy(args)
    result = generate(args.spec, config, skip_validation=args.skip_validation, policy=policy)
    _report(result.diagnostics)
    if result.files is None:
        return EXIT_SPEC_ERRORS
    if args.check:
        stale = differences(out_dir, result.files)
        for relative in stale:
            print(f"stale: {out_dir / relative}", file=sys.stderr)
        if stale:
            print(f"{out_dir} is out of date: run `specloom generate` again", file=sys.stderr)
            return EXIT_SPEC_ERRORS
        print(f"{out_dir} is up to date")
        return EXIT_OK
    write_problems = write_tree(out_dir, result.files, on_wait=lambda: _waiting_for(out_dir))
    if write_problems:
        _report(write_problems)
        return EXIT_SPEC_ERRORS
    print(f"generated {len(result.files)} files for package {name!r} in {out_dir}")
    return EXIT_OK


def _waiting_for(out_dir: Path) -> None:
    print(f"waiting for another specloom run writing next to {out_dir} ...", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from specloom.pipeline import check

    result = check(args.spec, strict=args.strict, policy=_read_policy(args))
    _report(result.diagnostics)
    if result.api is None:
        return EXIT_SPEC_ERRORS
    print(f"{args.spec}: valid")
    return EXIT_OK


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


if __name__ == "__main__":
    sys.exit(main())
