"""The shared TypeAdapters are built when made, also for models that defer their build."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic_core import SchemaSerializer, SchemaValidator

from specloom_runtime._adapters import adapter_for


class Deferred(BaseModel):
    """As generated: the model's validator is built on first use."""

    model_config = ConfigDict(defer_build=True)

    name: str


def test_an_adapter_of_a_deferred_model_holds_the_real_validator_and_serializer() -> None:
    # The server keeps these per operation: a stand-in would look the real one up again
    # on every request.
    for annotation in (Deferred, list[Deferred], Deferred | None):
        adapter = adapter_for(annotation)
        assert isinstance(adapter.validator, SchemaValidator)
        assert isinstance(adapter.serializer, SchemaSerializer)
    assert adapter_for(Deferred).serializer.to_json(Deferred(name="x")) == b'{"name":"x"}'
