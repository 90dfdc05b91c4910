"""Pointing generated code at the vendored runtime: which `specloom_runtime` texts change."""

from __future__ import annotations

from specloom.config import GenerateConfig
from specloom.render.vendor import use_vendored_runtime

VENDORED = GenerateConfig(package_name="pets", runtime="vendored")


def _vendored(text: str, path: str = "pets/models.py") -> str:
    return use_vendored_runtime({path: text}, VENDORED)[path]


def test_imports_at_a_line_start_are_pointed_at_the_copy_indented_or_not() -> None:
    source = (
        "from specloom_runtime import Omittable\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from specloom_runtime.server import Request\n"
        "\t\x0cfrom specloom_runtime.auth import Token\n"
    )
    assert _vendored(source) == (
        "from pets._runtime import Omittable\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from pets._runtime.server import Request\n"
        "\t\x0cfrom pets._runtime.auth import Token\n"
    )


def test_from_inside_a_sentence_or_a_longer_name_is_left() -> None:
    source = (
        '"""Values come from specloom_runtime; see also x from specloom_runtimes."""\n'
        "from specloom_runtimes import thing\n"
        "x = 1; from specloom_runtime import y\n"
    )
    assert _vendored(source) == source


def test_dotted_names_are_pointed_at_the_copy_unless_part_of_a_longer_name() -> None:
    source = (
        "specloom_runtime.server.request_context() and (specloom_runtime.RetryPolicy)\n"
        "my_specloom_runtime.x, éspecloom_runtime.y, specloom_runtime_extra.z\n"
    )
    assert _vendored(source) == (
        "pets._runtime.server.request_context() and (pets._runtime.RetryPolicy)\n"
        "my_specloom_runtime.x, éspecloom_runtime.y, specloom_runtime_extra.z\n"
    )
    readme = "Use `specloom_runtime.RetryPolicy`.\n"
    assert _vendored(readme, "README.md") == "Use `pets._runtime.RetryPolicy`.\n"
    assert _vendored(readme, "pyproject.toml") == readme


def test_with_the_runtime_as_a_dependency_nothing_changes() -> None:
    source = "from specloom_runtime import Omittable\n"
    config = GenerateConfig(package_name="pets", runtime="dependency")
    assert use_vendored_runtime({"pets/m.py": source}, config) == {"pets/m.py": source}
