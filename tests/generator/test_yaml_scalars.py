"""Finding YAML scalars by pointer, and telling two texts apart but for them."""

from __future__ import annotations

import pytest

from specloom.loading.yaml_scalars import NotYaml, scalars

TEXT = """\
paths:
  /pets/{id}:
    get:
      description: Plain text,
        folded over two lines.
      parameters:
        - name: id
          description: 'Quoted: with a colon'
        - name: a~b
          description: |
            A literal block.
  "/a~b":
    x: &shared Anchored
    y: *shared
? [complex, key]
: below: a complex key
"""


def test_each_scalar_is_found_by_its_pointer_with_its_place_and_value() -> None:
    pointers = {
        "/paths/~1pets~1{id}/get/description",
        "/paths/~1pets~1{id}/get/parameters/0/description",
        "/paths/~1pets~1{id}/get/parameters/1/description",
        "/paths/~1a~0b/x",
    }
    found = scalars(TEXT, pointers)
    assert found.spans.keys() == pointers
    values = {
        "/paths/~1pets~1{id}/get/description": "Plain text, folded over two lines.",
        "/paths/~1pets~1{id}/get/parameters/0/description": "Quoted: with a colon",
        "/paths/~1pets~1{id}/get/parameters/1/description": "A literal block.\n",
    }
    assert found.values == values  # the anchored one is not a plain string
    start, end = found.spans["/paths/~1pets~1{id}/get/parameters/0/description"]
    assert TEXT[start:end] == "'Quoted: with a colon'"


def test_what_a_complex_key_holds_has_no_pointer() -> None:
    assert scalars(TEXT, {"/below", "//below", "/"}).spans == {}


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("description: Plain text,", "description: Other text,", True),  # a value asked about
        ("name: id", "name: identifier", False),  # another value
        ("- name: a~b", "- name: a~b\n          in: query", False),  # a member more
        ("&shared Anchored\n    y: *shared", "&other Anchored\n    y: *other", False),
        ("x: &shared Anchored", "x: &shared !!str Anchored", False),  # a tag
        ("name: id", "name: id  # a comment", True),
    ],
)
def test_the_digest_changes_with_all_but_the_values_asked_about(
    before: str, after: str, same: bool
) -> None:
    pointers = {"/paths/~1pets~1{id}/get/description"}
    assert TEXT.count(before) == 1
    edited = TEXT.replace(before, after)
    assert (scalars(TEXT, pointers).digest == scalars(edited, pointers).digest) is same


@pytest.mark.parametrize("text", ["a: [1\n", "a: 1\n---\nb: 2\n", ""])
def test_what_is_not_one_yaml_document_is_refused(text: str) -> None:
    with pytest.raises(NotYaml):
        scalars(text, set())
