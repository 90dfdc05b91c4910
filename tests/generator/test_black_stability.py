"""The default formatter (ruff, black where their styles part) gives black-formatted files:
`black --check` passes on what it produces, and `--formatter black` produces the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import black
import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import check
from specloom.render import render
from specloom.render.format import format_files

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "fixtures/golden"
REAL_SPECS = ["apideck-lead.json", "ato-business-registries.json", "discourse.json"]
BLACK = black.Mode(target_versions={black.TargetVersion.PY310})

LONG = "WebhookBranchProtectionRuleEditedChangesLinearHistoryRequirementEnforcementLevel"
# Each place where ruff's output and black's differ, as GitHub's spec has them.
LONG_NAMES_SPEC = f"""\
openapi: 3.0.3
info: {{title: Long names, version: "1"}}
paths:
  /interactions:
    get:
      operationId: interactionsGetRestrictionsForAuthenticatedUserAndOrganization
      tags: [interactions]
      responses:
        "204": {{description: no content}}
    put:
      operationId: codespacesCreateForAuthenticatedUser
      tags: [interactions]
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - $ref: "#/components/schemas/CodespacesCreateForAuthenticatedUserRequestOption1"
                - $ref: "#/components/schemas/CodespacesCreateForAuthenticatedUserRequestOption2"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/{LONG}Changes"}}
components:
  schemas:
    CodespacesCreateForAuthenticatedUserRequestOption1:
      type: object
      properties: {{repository_id: {{type: integer}}}}
    CodespacesCreateForAuthenticatedUserRequestOption2:
      type: object
      properties: {{pull_request: {{type: string}}}}
    {LONG}From:
      type: string
      enum: [off, non_admins, everyone]
    {LONG}Changes:
      type: object
      required: [from]
      properties:
        from: {{$ref: "#/components/schemas/{LONG}From"}}
        previous_enforcement_level_for_the_linear_history_requirement_of_this_rule:
          $ref: "#/components/schemas/{LONG}From"
"""


# The first definition an alias (an object without properties): one blank line after the
# imports (googleapis clouddeploy, clarify.io).
ALIAS_FIRST_SPEC = """\
openapi: 3.0.3
info: {title: Alias first, version: "1"}
paths: {}
components:
  schemas:
    AbandonReleaseRequest: {type: object}
    Pet:
      type: object
      properties: {name: {type: string}}
"""


def rendered(spec: Path, package: str) -> dict[str, str]:
    checked = check(spec)
    assert checked.api is not None, [str(d) for d in checked.diagnostics]
    return render(checked.api, GenerateConfig(package))


def assert_black_formatted(files: dict[str, str]) -> None:
    for path, text in files.items():
        if path.endswith(".py"):
            assert black.format_str(text, mode=BLACK) == text, path


def test_black_check_passes_on_the_golden_trees() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--target-version", "py310", str(GOLDEN)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_the_places_where_ruff_and_black_part_come_out_as_black_has_them(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "long_names.yaml"
    spec.write_text(LONG_NAMES_SPEC, encoding="utf-8")
    files = format_files(rendered(spec, "long_names"))
    assert_black_formatted(files)
    # The services and the models are modules of their own (one per tag, one per model).
    client = "".join(text for path, text in files.items() if "/_client/" in path)
    models = "".join(text for path, text in files.items() if "/models/" in path)
    parenthesized = "body: (\n            CodespacesCreateForAuthenticatedUserRequestOption1\n"
    assert parenthesized in client
    assert f"    from_: (\n        {LONG}From\n    ) = Field(" in models


@pytest.mark.parametrize("name", REAL_SPECS)
def test_real_specs_come_out_black_formatted(name: str) -> None:
    files = format_files(rendered(ROOT / "fixtures/realworld" / name, "real"))
    assert_black_formatted(files)


def test_the_black_formatter_gives_the_same_files(tmp_path: Path) -> None:
    spec = tmp_path / "long_names.yaml"
    spec.write_text(LONG_NAMES_SPEC, encoding="utf-8")
    files = rendered(spec, "long_names")
    assert format_files(files, "black") == format_files(files)


def test_the_none_formatter_leaves_files_as_rendered() -> None:
    files = rendered(ROOT / "fixtures/petstore/petstore.yaml", "petstore")
    assert format_files(files, "none") == dict(sorted(files.items()))
    assert format_files(files, "none") != format_files(files)


def test_one_blank_line_between_the_imports_and_a_first_alias(tmp_path: Path) -> None:
    spec = tmp_path / "alias_first.yaml"
    spec.write_text(ALIAS_FIRST_SPEC, encoding="utf-8")
    files = format_files(rendered(spec, "alias_first"))
    assert_black_formatted(files)
    lines = files["alias_first/models/_abandon_release_request.py"].splitlines()
    alias = next(i for i, line in enumerate(lines) if line.startswith("AbandonReleaseRequest:"))
    assert lines[alias - 1] == ""
    assert lines[alias - 2].startswith(("from ", "import "))
