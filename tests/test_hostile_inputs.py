"""Hostile and careless inputs (fixtures/hostile_inputs/): each one ends in a clear
diagnostic or in importable output, never in a traceback, a hang or a leak."""

from __future__ import annotations

import http.server
import json
import os
import random
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import specloom.validate
from specloom.cli import main
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level
from specloom.loader import ReadPolicy
from specloom.pipeline import check, generate

INPUTS = Path(__file__).resolve().parent.parent / "fixtures/hostile_inputs"
CONFINED = INPUTS / "confined/spec"


def errors_of(source: str | Path, **options: object) -> list[Diagnostic]:
    result = check(source, **options)  # type: ignore[arg-type]
    assert result.api is None
    return [d for d in result.diagnostics if d.level is Level.ERROR]


def only_error(source: str | Path, **options: object) -> Diagnostic:
    [problem] = errors_of(source, **options)
    return problem


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specloom", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Bombs.


def test_a_reference_bomb_is_generated_in_bounded_time(tmp_path: Path) -> None:
    # 2 KB: eight levels of six references each, 6**8 paths to the innermost schema.
    result = generate(INPUTS / "ref_bomb.json", GenerateConfig(package_name="bomb"))
    assert result.files is not None, result.diagnostics
    assert "class S8(BaseModel)" in result.files["bomb/models/_s8.py"]


def test_a_reference_bomb_validates_in_bounded_time() -> None:
    assert check(INPUTS / "ref_bomb.json").api is not None


def test_a_yaml_alias_bomb_is_refused() -> None:
    problem = only_error(INPUTS / "alias_bomb.yaml")
    assert "alias bomb" in problem.message
    assert problem.file.endswith("alias_bomb.yaml")


def test_an_alias_that_contains_itself_is_refused() -> None:
    problem = only_error(INPUTS / "alias_cycle.yaml")
    assert "alias contains itself" in problem.message
    assert problem.pointer == "/components/schemas/Loop/allOf/0"


def test_skip_validation_does_not_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_validation(*_: object) -> list[Diagnostic]:
        raise AssertionError("validation ran")

    monkeypatch.setattr(specloom.validation_cache, "validate_reusing", no_validation)
    monkeypatch.setattr(specloom.validate, "validate", no_validation)
    assert check(INPUTS / "ref_bomb.json", skip_validation=True).api is not None


# Values Python cannot print or encode.


@pytest.mark.parametrize(
    ("name", "line"),
    [("huge_integer.json", 1), ("huge_integer.yaml", 6), ("huge_hex_integer.yaml", 6)],
)
def test_integers_too_long_to_print_are_located_errors(name: str, line: int) -> None:
    problem = only_error(INPUTS / name)
    assert "more than 4,300 digits" in problem.message
    assert problem.line == line


@pytest.mark.parametrize("name", ["lone_surrogate.json", "lone_surrogate.yaml"])
def test_a_lone_surrogate_is_an_error(name: str) -> None:
    problem = only_error(INPUTS / name)
    assert "surrogate" in problem.message or "Unicode" in problem.message


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ('"\\ud83d\\ude00"', False),  # an emoji as json.dumps writes it: one character
        ('"\\ud83d"', True),
        ('"\\\\ud83d\\ude00"', True),  # a backslash, text, then a lone low escape
        ('"\\\\ud800"', False),  # a backslash and text
    ],
)
def test_only_escapes_that_decode_to_a_lone_surrogate_are_refused_in_json(
    tmp_path: Path, text: str, refused: bool
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": ' + text + ', "version": "1"}, "paths": {}}',
        encoding="utf-8",
    )
    result = check(spec)
    assert (result.api is None) is refused
    if refused:
        [problem] = [d for d in result.diagnostics if d.level is Level.ERROR]
        assert "lone UTF-16 surrogate" in problem.message


@pytest.mark.parametrize("escape", ["\\ud800", "\\U0000DC00", "\\uD83D\\uDE00"])
def test_a_surrogate_escape_in_yaml_is_an_error_in_either_form(tmp_path: Path, escape: str) -> None:
    # YAML joins no pairs: every surrogate escape is a lone surrogate (PyYAML refuses it).
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f'openapi: 3.0.3\ninfo: {{title: "{escape}", version: "1"}}\npaths: {{}}\n',
        encoding="utf-8",
    )
    result = check(spec)
    assert result.api is None
    [problem] = result.diagnostics
    assert "surrogate" in problem.message or "Unicode" in problem.message
    assert problem.line == 2


def test_the_lone_surrogate_precheck_agrees_with_json_on_random_escapes() -> None:
    # The walk over every value is skipped when the text holds no escape that decodes to
    # a lone surrogate; skipping one that does would let it reach the written files.
    from specloom.loading.sources import _may_hold_bad_values

    pieces = ["\\ud83d", "\\ude00", "\\uDBFF", "\\uDC00", "\\\\", "u", "x", "\\n", "\\u0041"]
    generator = random.Random(2026)
    for _ in range(3000):
        text = '"' + "".join(generator.choices(pieces, k=generator.randint(1, 6))) + '"'
        value = json.loads(text)
        lone = any(0xD800 <= ord(character) <= 0xDFFF for character in value)
        assert _may_hold_bad_values(text, from_yaml=False) is lone, text


# References to nothing usable.


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("ref_empty.yaml", "whole document"),
        ("ref_hash.yaml", "whole document"),
        ("ref_info.yaml", "'info'"),
    ],
)
def test_references_to_the_document_or_its_info_are_errors(name: str, says: str) -> None:
    problem = only_error(INPUTS / name)
    assert says in problem.message
    assert problem.pointer == "/components/schemas/Bad"


# Confinement of references.


@pytest.mark.parametrize("name", ["up_and_out.yaml", "absolute.yaml", "file_url.yaml"])
def test_references_outside_the_specs_folder_are_refused(name: str) -> None:
    problem = only_error(CONFINED / name)
    assert "outside the spec's folder" in problem.message
    assert "--allow-ref-root" in problem.message


def test_a_link_inside_the_specs_folder_cannot_lead_out(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("Secret: {type: string}\n")
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "innocent.yaml").symlink_to(tmp_path / "secret.yaml")
    spec = folder / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {S: {$ref: 'innocent.yaml#/Secret'}}}\n"
    )
    assert "outside the spec's folder" in only_error(spec).message


def test_allow_ref_root_widens_the_confinement() -> None:
    policy = ReadPolicy(ref_roots=(str(INPUTS / "confined"),))
    result = check(CONFINED / "up_and_out.yaml", policy=policy)
    assert result.api is not None, result.diagnostics


@pytest.mark.parametrize("name", ["absolute.yaml", "file_url.yaml"])
def test_a_referenced_file_content_is_never_printed(name: str) -> None:
    policy = ReadPolicy(ref_roots=("/etc",))
    problem = only_error(CONFINED / name, policy=policy)
    assert "is not a JSON or YAML object" in problem.message
    completed = run_cli(
        "generate", str(CONFINED / name), "--out", "unused", "--allow-ref-root", "/"
    )
    assert completed.returncode == 1
    assert "root:" not in completed.stderr + completed.stdout
    assert "Traceback" not in completed.stderr


def test_a_remote_reference_needs_allow_remote_refs() -> None:
    problem = only_error(CONFINED / "remote.yaml")
    assert "--allow-remote-refs" in problem.message


# Special files and sizes.


def test_a_device_is_never_read_as_spec_or_reference() -> None:
    assert "not a regular file" in only_error("/dev/zero").message
    policy = ReadPolicy(ref_roots=("/dev",))
    assert "not a regular file" in only_error(CONFINED / "device.yaml", policy=policy).message


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in only_error(fifo).message
    spec = tmp_path / "root.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {F: {$ref: spec.yaml}}}\n"
    )
    assert "not a regular file" in only_error(spec).message


def test_a_document_over_the_size_limit_is_refused() -> None:
    policy = ReadPolicy(max_document_bytes=1024)
    problem = only_error(INPUTS / "ref_bomb.json", policy=policy)
    assert "larger than the limit of 1,024 bytes" in problem.message


def test_the_size_limit_is_an_option() -> None:
    completed = run_cli("validate", str(INPUTS / "ref_bomb.json"), "--max-document-size", "1K")
    assert completed.returncode == 1
    assert "larger than the limit of 1,024 bytes" in completed.stderr


def test_a_file_url_is_a_spec() -> None:
    assert check((INPUTS / "ref_bomb.json").as_uri()).api is not None


# URLs: a server on 127.0.0.1 that misbehaves.


class Misbehaving(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/endless.yaml":
            self._send_forever(b"x" * 65536, pause=0.0)
        elif self.path == "/slow.yaml":
            self._send_forever(b"#", pause=0.05)
        elif self.path == "/schema.yaml":
            self.send_response(200)
            self.send_header("Content-Length", "13")
            self.end_headers()
            self.wfile.write(b"type: string\n")
        elif self.path == "/redirect.yaml":
            self.send_response(302)
            self.send_header("Location", "http://localhost:9/elsewhere.yaml")
            self.end_headers()
        elif self.path == "/spec.yaml":
            body = (
                b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                b"components: {schemas: {P: {$ref: 'file:///etc/passwd'},"
                b" O: {$ref: 'http://localhost:9/other.yaml'}}}\n"
            )
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def _send_forever(self, chunk: bytes, pause: float) -> None:
        self.send_response(200)
        self.end_headers()
        try:
            while True:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_an_endless_body_stops_at_the_size_limit(server: str) -> None:
    policy = ReadPolicy(max_document_bytes=1_000_000)
    problem = only_error(f"{server}/endless.yaml", policy=policy)
    assert "larger than the limit of 1,000,000 bytes" in problem.message


def test_a_slow_body_stops_at_the_deadline(server: str) -> None:
    policy = ReadPolicy(url_deadline_seconds=0.5)
    problem = only_error(f"{server}/slow.yaml", policy=policy)
    assert "did not finish within 0.5 s" in problem.message


def test_a_redirect_to_another_origin_is_refused(server: str) -> None:
    problem = only_error(f"{server}/redirect.yaml")
    assert "redirected to another origin" in problem.message


def test_a_url_spec_reads_neither_local_files_nor_other_origins(server: str) -> None:
    messages = sorted(p.message for p in errors_of(f"{server}/spec.yaml"))
    assert len(messages) == 2
    assert "local files only under --allow-ref-root" in messages[0]
    assert "--allow-remote-refs" in messages[1]


def test_the_url_options_reach_the_loader(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", f"{server}/slow.yaml", "--url-deadline", "0.3"]) == 1
    assert "did not finish within 0.3 s" in capsys.readouterr().err
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        f"components: {{schemas: {{Remote: {{$ref: '{server}/schema.yaml'}}}}}}\n"
    )
    assert main(["validate", str(spec)]) == 1
    assert "--allow-remote-refs" in capsys.readouterr().err
    assert main(["validate", str(spec), "--allow-remote-refs"]) == 0


# Package names that would shadow a module.


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("os", "standard library"),
        ("json", "standard library"),
        ("typing", "standard library"),
        ("pydantic", "depends on"),
        ("httpx", "depends on"),
        ("starlette", "depends on"),
        ("typing_extensions", "depends on"),
        ("specloom_runtime", "runs on"),
        ("jinja2", "specloom itself needs"),
    ],
)
def test_a_name_that_shadows_a_module_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, says: str
) -> None:
    spec = str(INPUTS.parent / "petstore/petstore.yaml")
    with pytest.raises(SystemExit) as exited:
        main(["generate", spec, "--out", str(tmp_path / "out"), "--name", name])
    assert exited.value.code == 2
    message = capsys.readouterr().err
    assert f"{name!r} would shadow" in message
    assert says in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "spec", sorted(p.name for p in INPUTS.iterdir() if p.suffix in (".json", ".yaml"))
)
def test_no_input_here_raises_out_of_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str
) -> None:
    out = tmp_path / "out"
    code = main(["generate", str(INPUTS / spec), "--out", str(out), "--name", "hostile_pkg"])
    errors = capsys.readouterr().err
    assert (code, out.exists()) in ((0, True), (1, False)), errors
    if code == 0:  # exit 0 means a package that imports
        imported = subprocess.run(
            [sys.executable, "-W", "error", "-c", "import hostile_pkg.client, hostile_pkg.server"],
            cwd=out,
            env={**os.environ, "PYTHONPATH": str(out)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr


def test_the_readme_example_for_untrusted_specs_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (INPUTS.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Specs you do not trust", 1)[1]
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0].replace("\\\n", " ")
    words = shlex.split(command)
    assert words[:2] == ["specloom", "generate"]
    monkeypatch.chdir(INPUTS.parent.parent)
    words[words.index("--out") + 1] = str(tmp_path / "confined")
    assert main(words[1:]) == 0
    at = words.index("--allow-ref-root")
    assert main(words[1:at] + words[at + 2 :]) == 1
