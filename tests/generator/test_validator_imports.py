"""Validation imports no HTTP library it never uses (and leaves it importable), and reads the
validators' settings through pydantic-settings only when a variable sets one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "fixtures" / "petstore" / "petstore.yaml"


def _run(code: str, **variables: str) -> str:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.lower().startswith(("openapi_spec_validator_", "openapi_schema_validator_"))
    }
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**environment, **variables},
    )
    return completed.stdout.strip()


def test_validating_imports_no_requests_and_leaves_it_importable() -> None:
    out = _run(
        f"""
        import sys
        from specloom.pipeline import check
        result = check({str(SPEC)!r})
        print(result.api is not None, "requests" in sys.modules, end=" ")
        import requests
        print(requests.__name__)
        """
    )
    assert out == "True False requests"


def test_a_spec_with_validation_errors_is_still_reported_so() -> None:
    out = _run(
        """
        import json, sys, tempfile
        from specloom.pipeline import check
        spec = {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(spec, file)
        result = check(file.name)
        print([d.message for d in result.diagnostics if d.level.name == "ERROR"] != [])
        print("requests" in sys.modules)
        """
    )
    assert out.split() == ["True", "False"]


def test_without_settings_variables_the_validator_comes_without_pydantic_settings() -> None:
    out = _run(
        f"""
        import sys
        from specloom.pipeline import check
        result = check({str(SPEC)!r})
        print(result.api is not None, "pydantic_settings" in sys.modules)
        """
    )
    assert out.split() == ["True", "False"]


def test_a_settings_variable_is_read_by_the_validators_own_settings() -> None:
    out = _run(
        f"""
        from specloom.pipeline import check
        result = check({str(SPEC)!r})
        import openapi_spec_validator.settings as spec_settings
        print(result.api is not None, spec_settings.get_resolved_cache_maxsize())
        """,
        openapi_spec_validator_resolved_cache_maxsize="7",
    )
    assert out.split() == ["True", "7"]


def test_the_stand_in_settings_are_the_libraries_defaults() -> None:
    # Each stand-in holds every name its library's settings module defines, with the
    # value that module gives when no variable is set.
    out = _run(
        """
        import inspect
        import openapi_schema_validator.settings as schema_settings
        import openapi_spec_validator.settings as spec_settings
        from specloom import validator_imports

        def defined(module):
            return sorted(
                name for name, value in vars(module).items()
                if not name.startswith("_") and not inspect.ismodule(value)
                and getattr(value, "__module__", module.__name__) == module.__name__
            )

        stand_in = validator_imports._spec_validator_settings()
        print(set(defined(spec_settings)) <= set(vars(stand_in)))
        real = spec_settings.OpenAPISpecValidatorSettings()
        fake = stand_in.OpenAPISpecValidatorSettings()
        print(real.resolved_cache_maxsize == fake.resolved_cache_maxsize)
        print(real.schema_validator_backend == fake.schema_validator_backend)
        for name in defined(spec_settings):
            value = getattr(spec_settings, name)
            if not callable(value):
                print(name, value == getattr(stand_in, name))
        print(stand_in.get_resolved_cache_maxsize() == spec_settings.get_resolved_cache_maxsize())
        backend = spec_settings.get_schema_validator_backend()
        print(stand_in.get_schema_validator_backend() == backend)
        stand_in = validator_imports._schema_validator_settings()
        print(set(defined(schema_settings)) <= set(vars(stand_in)))
        print(
            stand_in.get_settings().compiled_validator_cache_max_size
            == schema_settings.get_settings().compiled_validator_cache_max_size
        )
        """
    )
    assert "False" not in out.split(), out
    assert len(out.splitlines()) >= 8


def test_a_validator_asking_its_settings_for_more_is_imported_as_it_is() -> None:
    # As a later openapi-spec-validator might: a name the stand-in lacks.
    out = _run(
        """
        import sys
        from types import ModuleType
        from specloom import validator_imports
        validator_imports._spec_validator_settings = lambda: ModuleType("lacking")
        validator_imports.import_validator_lightly()
        import openapi_spec_validator.settings as spec_settings
        from openapi_spec_validator.validation import keywords
        print(hasattr(spec_settings, "__file__"), keywords.SchemaValidator.__name__)
        """
    )
    assert out.split() == ["True", "SchemaValidator"]


def test_jsonschema_paths_handlers_are_imported_when_first_used() -> None:
    """Validating a spec imports neither jsonschema_path's file and URL handlers nor PyYAML
    through them; the handlers work as the library's own when something uses them."""
    out = _run(
        """
        import json, sys, tempfile
        from specloom.validator_imports import import_validator_lightly
        import_validator_lightly()
        from specloom.validate import validate
        from specloom.loading.loaded import LoadedSpec
        document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
        print(validate(LoadedSpec(document, "spec.json")) == [], end=" ")
        print("jsonschema_path.handlers.file" in sys.modules, "yaml" in sys.modules, end=" ")
        import jsonschema_path
        from jsonschema_path.handlers import FileHandler
        print(sorted(jsonschema_path.default_handlers), FileHandler.__name__, end=" ")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump({"type": "string"}, file)
        print((jsonschema_path.SchemaPath.from_file_path(file.name) / "type").read_value(), end=" ")
        print("requests" in sys.modules)
        """
    )
    assert out == (
        "True False False ['<all_urls>', 'file', 'http', 'https'] FileHandler string False"
    )


def test_jsonschema_paths_retriever_is_imported_when_first_used() -> None:
    """Validating a spec imports no urllib.request (with http.client, email and ssl) through
    jsonschema_path's retriever; the retriever works as the library's own when used."""
    out = _run(
        """
        import json, pathlib, sys, tempfile
        from specloom.validator_imports import import_validator_lightly
        import_validator_lightly()
        from specloom.validate import validate
        from specloom.loading.loaded import LoadedSpec
        document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
        print(validate(LoadedSpec(document, "spec.json")) == [], end=" ")
        print("urllib.request" in sys.modules, "http.client" in sys.modules, end=" ")
        import jsonschema_path
        from jsonschema_path.accessors import SchemaAccessor
        from jsonschema_path.retrievers import SchemaRetriever
        from referencing.jsonschema import DRAFT202012
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump({"type": "string"}, file)
        uri = pathlib.Path(file.name).as_uri()
        retrieve = SchemaRetriever(jsonschema_path.default_handlers, DRAFT202012)
        print(isinstance(retrieve, SchemaRetriever), retrieve(uri).contents, end=" ")
        accessor = SchemaAccessor.from_schema({"$ref": uri})
        print(jsonschema_path.SchemaPath(accessor)["type"], end=" ")
        import jsonschema_path.retrievers as retrievers
        print(hasattr(retrievers, "__file__"), "requests" in sys.modules)
        """
    )
    assert out == "True False False True {'type': 'string'} string True False"
