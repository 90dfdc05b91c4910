"""The `specloom` command line: `generate`, `validate` and `scaffold`.

Without a SPEC, both commands run every `[[tool.specloom.generate]]` table of the nearest
`pyproject.toml` (or `[[generate]]` table of `specloom.toml`); flags given on the command
line override the tables' values. See docs/configuration.md.

Exit codes: 0 success, 1 the spec has errors (or warnings with --strict, or the
generated tree is stale with --check, or the file `scaffold` would write exists), 2 usage
errors (bad flags or configuration).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import msgspec

from specloom import __version__
from specloom.config import (
    FORMATTERS,
    RUNTIME_MODES,
    TARGETS,
    GenerateConfig,
    distribution_name_problem,
    package_name_problem,
)
from specloom.config_file import GenerateTable, find_config, options_of, read_config
from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.loading.policy import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_URL_DEADLINE_SECONDS,
    ReadPolicy,
    parse_size,
)
from specloom.progress import Progress
from specloom.reporting import FORMATS, Reporter, plural, wants_color

if TYPE_CHECKING:
    from specloom.validation_standby import ValidatorStandby

EXIT_OK = 0
EXIT_SPEC_ERRORS = 1
EXIT_USAGE = 2


class _Job(msgspec.Struct, frozen=True):
    """One spec to run: the merged options, and the config table they came from, if any."""

    options: argparse.Namespace
    table: GenerateTable | None = None

    @property
    def label(self) -> str:
        return str(self.options.spec)


def run() -> NoReturn:
    """The `specloom` command (and `python -m specloom`): `main`, then the process ends.

    It ends without the interpreter's cleanup: freeing, one by one, the millions of
    objects a large spec leaves in caches took about 0.3 s of CPU on GitHub's spec, for
    nothing the process still needs (every file is written and closed, the validation
    process has been waited for). What was printed is flushed first. The cycle
    collector runs as during a run throughout (`collection.for_the_process`).
    """
    from specloom.collection import for_the_process

    for_the_process()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    args = parser.parse_args(arguments)
    reporter = Reporter(sys.stderr, sys.stdout, output=args.format, color=wants_color(sys.stderr))
    if args.command == "scaffold":
        status = _scaffold(args, reporter)
        reporter.finish()
        return status
    jobs = _jobs(parser, args, arguments, reporter)
    if isinstance(jobs, int):
        reporter.finish()
        return jobs
    show_progress = not args.quiet and args.format == "text" and sys.stderr.isatty()
    status = EXIT_OK
    # Forked now, before the progress thread starts and the rest of specloom is imported.
    standby = _validator_standby(args.command, jobs)
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            Progress(sys.stderr, enabled=show_progress, total=len(jobs)) as progress,
        ):
            for job in jobs:
                progress.item(job.label)
                if args.command == "generate":
                    status = max(status, _generate(job, reporter, progress, standby))
                else:
                    status = max(status, _validate(job, reporter, progress))
    finally:
        if standby is not None:
            standby.close()
    reporter.report(_library_warnings(caught))
    reporter.finish()
    return status


def _library_warnings(caught: Sequence[warnings.WarningMessage]) -> list[Diagnostic]:
    """Python warnings raised while running (by a library, or a spec's content through one),
    as diagnostics naming where they came from, each once, instead of Python's raw text."""
    seen: dict[tuple[str, str], Diagnostic] = {}
    for warning in caught:
        origin = _origin(warning.filename)
        message = str(warning.message).strip().splitlines()[0] if str(warning.message) else ""
        text = f"{warning.category.__name__} from {origin}: {message}"
        seen.setdefault((origin, message), Diagnostic(Level.WARNING, text))
    return list(seen.values())


def _origin(filename: str) -> str:
    """The package a warning was raised in (`jsonschema`, `specloom`), from its file name."""
    parts = Path(filename).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            return parts[parts.index(marker) + 1].removesuffix(".py")
    if "specloom" in parts:
        return "specloom"
    return Path(filename).name or "Python"


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
        "OpenAPI 3.x document. Nothing is written unless the whole run succeeds. Without "
        "SPEC, generate every [[tool.specloom.generate]] table of pyproject.toml (or "
        "[[generate]] table of specloom.toml).",
    )
    _add_spec_argument(generate)
    generate.add_argument(
        "--out", type=Path, help="the folder to write the package project into (with SPEC)"
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
        help="write nothing; exit 1 and show the difference if the files in --out are not "
        "what would be generated",
    )
    _add_reading_options(generate)
    generate.add_argument(
        "--runtime",
        choices=RUNTIME_MODES,
        default="vendored",
        help="vendored: copy specloom_runtime into the package as <name>._runtime, so it "
        "installs from the package index alone (default); dependency: depend on the "
        "specloom-runtime distribution instead",
    )
    generate.add_argument(
        "--distribution",
        help="the distribution name in the generated pyproject.toml "
        "(default: <name>-client, or <name>-server with --target server)",
    )
    generate.add_argument(
        "--templates",
        type=Path,
        help="a folder of templates that replace the bundled ones with the same path "
        "(e.g. package/README.md.jinja)",
    )
    _add_output_arguments(generate)

    validate = commands.add_parser(
        "validate",
        help="check a spec and print its diagnostics",
        description="Load, validate and parse an OpenAPI document and print every problem "
        "found. Without SPEC, check the spec of every configuration table.",
    )
    _add_spec_argument(validate)
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    _add_reading_options(validate)
    _add_output_arguments(validate)

    scaffold = commands.add_parser(
        "scaffold",
        help="write a skeleton implementation of the generated server",
        description="Write FILE: one class per tag subclassing the generated <Tag>Api, every "
        "operation's method with its full typed signature answering 501 until implemented, "
        "and an app. FILE is yours: scaffold never overwrites it (it exits 1 if FILE exists) "
        "and generate never touches it. After the spec changes and the package is "
        "regenerated, mypy on FILE shows every method that no longer fits.",
    )
    scaffold.add_argument("spec", help="the OpenAPI document: a YAML or JSON file, or a URL")
    scaffold.add_argument(
        "--out", type=Path, required=True, help="the Python file to write (must not exist)"
    )
    scaffold.add_argument(
        "--name",
        help="the import name of the package generated from SPEC "
        "(default: the spec's file name, e.g. petstore for petstore.yaml)",
    )
    scaffold.add_argument(
        "--runtime",
        choices=RUNTIME_MODES,
        default="vendored",
        help="the --runtime the package is generated with, which the skeleton imports "
        "from (default: vendored)",
    )
    scaffold.add_argument(
        "--skip-validation",
        action="store_true",
        help="do not run the OpenAPI validation; use the spec as loaded",
    )
    _add_reading_options(scaffold)
    _add_report_arguments(scaffold)
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
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _read_policy(args: argparse.Namespace) -> ReadPolicy:
    # Values from a configuration table arrive unconverted: a size may be "64M".
    size = args.max_document_size
    return ReadPolicy(
        ref_roots=tuple(str(root) for root in args.allow_ref_root),
        allow_remote_refs=args.allow_remote_refs,
        max_document_bytes=parse_size(size) if isinstance(size, str) else size,
        url_deadline_seconds=float(args.url_deadline),
    )


def _add_spec_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "spec",
        nargs="?",
        help="the OpenAPI document: a YAML or JSON file, or an http(s) URL "
        "(default: every table of the configuration file)",
    )


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        help="the configuration file (default: the nearest specloom.toml, or pyproject.toml "
        "with a [tool.specloom] table)",
    )
    _add_report_arguments(parser)


def _add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how to print problems: text (default) or json (one document on stdout)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no success messages"
    )


# Jobs: from the command line, or from the configuration file's tables.


def _jobs(
    parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str], reporter: Reporter
) -> list[_Job] | int:
    command = _subparser(parser, args.command)
    if args.spec is not None:
        if args.command == "generate" and args.out is None:
            command.error("--out is required with a SPEC")
        return [_Job(args)]
    path = args.config if args.config is not None else find_config(Path.cwd())
    if path is None:
        command.error(
            "give a SPEC, or run where a specloom.toml or a pyproject.toml with "
            "[[tool.specloom.generate]] tables is (see docs/configuration.md)"
        )
    tables, problems = read_config(path, options_of(_subparser(_build_parser(), "generate")))
    if problems:
        reporter.report(problems)
        return EXIT_USAGE
    explicit = vars(_explicit_arguments(args.command, argv))
    if len(tables) > 1 and {"out", "name", "distribution"} & explicit.keys():
        command.error("--out, --name and --distribution apply to one package: give a SPEC")
    return [_Job(_merged(args, table, explicit), table) for table in tables]


def _merged(
    args: argparse.Namespace, table: GenerateTable, explicit: dict[str, Any]
) -> argparse.Namespace:
    merged = vars(args).copy()
    merged.update({key: value for key, value in table.values.items() if key in merged})
    merged.update(explicit)
    return argparse.Namespace(**merged)


def _explicit_arguments(command: str, argv: list[str]) -> argparse.Namespace:
    """Only the options given on the command line (no defaults)."""
    parser = _build_parser()
    for action in _subparser(parser, command)._actions:
        action.default = argparse.SUPPRESS
    return parser.parse_args(argv)


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[command]
            return chosen
    raise LookupError(command)


# Running one job.


def _validator_standby(command: str, jobs: list[_Job]) -> ValidatorStandby | None:
    """A child to validate a rebuilt path item aside (`specloom.validation_standby`), for
    a `generate` command that validates."""
    if command != "generate" or all(job.options.skip_validation for job in jobs):
        return None
    from specloom.validation_standby import ValidatorStandby

    return ValidatorStandby.start()


def _generate(
    job: _Job, reporter: Reporter, progress: Progress, standby: ValidatorStandby | None = None
) -> int:
    # jinja2 and the formatters are imported by the stages that use them: a run that reuses
    # an earlier run's result (`specloom.result_cache`) needs neither.
    from specloom.pipeline import generate
    from specloom.write import differences, write_tree

    options = job.options
    config = _config_of(job, reporter)
    if config is None:
        return EXIT_USAGE
    out_dir: Path = options.out
    if config.templates is not None:
        from specloom.render.custom_templates import templates_folder_problems

        template_problems = templates_folder_problems(config.templates)
        reporter.report(template_problems)
        if has_errors(template_problems, strict=config.strict):
            return EXIT_USAGE
    try:
        result = generate(
            options.spec,
            config,
            skip_validation=options.skip_validation,
            policy=_read_policy(options),
            on_stage=progress.stage,
            output=out_dir,
            standby=standby,
        )
    except Exception as exc:
        problem = _generation_problem(exc)
        if problem is None:
            raise
        progress.clear()
        reporter.report([problem])
        return EXIT_SPEC_ERRORS
    progress.clear()
    reporter.report(result.diagnostics)
    if result.files is None:
        return EXIT_SPEC_ERRORS
    if options.check:
        progress.stage("comparing")
        stale = differences(out_dir, result.files, result.digests)
        progress.clear()
        if stale:
            from specloom.staleness import stale_report  # with difflib: for a stale tree only

            print(stale_report(out_dir, result.files, stale), file=sys.stderr)
            print(
                f"{out_dir} is out of date ({plural(len(stale), 'file')}): "
                "run `specloom generate` again",
                file=sys.stderr,
            )
            return EXIT_SPEC_ERRORS
        if not options.quiet:
            print(f"{out_dir} is up to date")
        return EXIT_OK
    progress.stage("writing")
    write_problems = write_tree(
        out_dir, result.files, digests=result.digests, on_wait=lambda: _waiting_for(out_dir)
    )
    progress.clear()
    if write_problems:
        reporter.report(write_problems)
    if has_errors(write_problems):
        return EXIT_SPEC_ERRORS
    if not options.quiet:
        print(
            f"generated {len(result.files)} files for package {config.package_name!r} in {out_dir}"
        )
    return EXIT_OK


def _generation_problem(exc: Exception) -> Diagnostic | None:
    """What to tell the user about `exc`, raised by generating; None for a bug of ours."""
    import jinja2

    from specloom.render.custom_templates import template_error
    from specloom.render.format import FormatterUnavailable, FormattingError

    if isinstance(exc, jinja2.TemplateError | FormattingError):  # from a custom template
        return template_error(exc)
    if isinstance(exc, FormatterUnavailable):
        return Diagnostic(Level.ERROR, str(exc), hint=exc.hint)
    return None


def _waiting_for(out_dir: Path) -> None:
    print(f"waiting for another specloom run writing next to {out_dir} ...", file=sys.stderr)


def _config_of(job: _Job, reporter: Reporter) -> GenerateConfig | None:
    """The generation options of `job`, or None (reported) when a name is unusable."""
    options = job.options
    out_dir: Path = options.out
    name: str = options.name or out_dir.resolve().name.replace("-", "_")
    problem = package_name_problem(name)
    if problem is None and options.distribution is not None:
        problem = distribution_name_problem(options.distribution)
    if problem is not None:
        if options.name is None:
            problem += " (derived from the output folder's name: set a name)"
        table = job.table
        if table is None:
            _subparser(_build_parser(), "generate").error(problem)
        reporter.report([Diagnostic(Level.ERROR, problem, "", str(table.file), table.line)])
        return None
    return GenerateConfig(
        package_name=name,
        target=options.target,
        strict=options.strict,
        runtime=options.runtime,
        distribution=options.distribution,
        templates=options.templates,
        formatter=options.formatter,
        source_label=_source_label(str(options.spec)),
    )


def _source_label(spec: str) -> str:
    # The file name only: the same spec gives the same files from any working folder.
    if spec.lower().startswith(("http://", "https://")):
        return spec
    return Path(spec).name


def _validate(job: _Job, reporter: Reporter, progress: Progress) -> int:
    from specloom.pipeline import findings

    options = job.options
    valid, diagnostics = findings(
        options.spec,
        strict=options.strict,
        policy=_read_policy(options),
        on_stage=progress.stage,
    )
    progress.clear()
    reporter.report(diagnostics)
    if not valid:
        return EXIT_SPEC_ERRORS
    if not options.quiet:
        print(f"{options.spec}: valid")
    return EXIT_OK


def _scaffold(args: argparse.Namespace, reporter: Reporter) -> int:
    from specloom.pipeline import check
    from specloom.render.scaffold import render_scaffold

    out: Path = args.out
    if out.exists() or out.is_symlink():
        return _refuse_existing(out)
    name: str = args.name or _name_from_spec(args.spec)
    problem = package_name_problem(name)
    if problem is not None:
        if args.name is None:
            problem += " (derived from the spec's file name: set --name)"
        _subparser(_build_parser(), "scaffold").error(problem)
    result = check(args.spec, skip_validation=args.skip_validation, policy=_read_policy(args))
    reporter.report(result.diagnostics)
    if result.api is None:
        return EXIT_SPEC_ERRORS
    text = render_scaffold(result.api, GenerateConfig(package_name=name, runtime=args.runtime))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        return _refuse_existing(out)
    except OSError as error:
        print(f"specloom: cannot write {out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_SPEC_ERRORS
    if not args.quiet:
        classes = len(result.api.services)
        methods = sum(len(service.operations) for service in result.api.services)
        print(
            f"wrote {out}: {classes} {'class' if classes == 1 else 'classes'} and "
            f"{plural(methods, 'method')} answering 501 until implemented"
        )
    return EXIT_OK


def _refuse_existing(out: Path) -> int:
    print(
        f"specloom: {out} exists; scaffold writes only a new file and left it as it is "
        "(remove it, or choose another --out)",
        file=sys.stderr,
    )
    return EXIT_SPEC_ERRORS


def _name_from_spec(spec: str) -> str:
    """`petstore` for `specs/petstore.yaml` (or a URL ending so); `-` and `.` become `_`."""
    last = spec.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    return stem.lower().replace("-", "_").replace(".", "_")


if __name__ == "__main__":
    sys.exit(main())
