"""Spec descriptions in HTML or long Markdown lines become readable, wrapped docstrings."""

from __future__ import annotations

import ast

from specloom.config import GenerateConfig
from specloom.render import render
from specloom.render.prose import readable, wrap
from tests.generator import ir_factory as ir

STRIPE_LIKE = (
    "<p>Returns a list of your <code>charges</code>, sorted by creation date, with the most "
    'recent charges appearing first. See <a href="https://stripe.com/docs/api">the API '
    "reference</a> &amp; the guides.</p><ul><li>Only <strong>succeeded</strong> charges are "
    "listed when <code>status</code> is given, whatever else the request asks for.</li>"
    "<li>At most 100.</li></ul>"
)


def test_html_becomes_plain_text() -> None:
    assert readable(STRIPE_LIKE) == (
        "Returns a list of your `charges`, sorted by creation date, with the most recent "
        "charges appearing first. See the API reference (https://stripe.com/docs/api) & the "
        "guides.\n"
        "\n"
        "- Only **succeeded** charges are listed when `status` is given, whatever else the "
        "request asks for.\n"
        "- At most 100."
    )
    assert readable("a <b>c</b><br>d<ol><li>x</li><li>y</li></ol>") == "a **c**\nd\n\n1. x\n2. y"


def test_markdown_and_plain_text_are_left_as_they_are() -> None:
    text = "Use `limit` < 10 and a > b.\n\n* one\n* two"
    assert readable(text) == text


def test_wrapping_keeps_lists_sections_and_code() -> None:
    long = "word " * 30
    wrapped = wrap(f"{long}\n\n- {long}\n\n    code {long}\n\nArgs:\n    limit: {long}", 40)
    lines = wrapped.split("\n")
    assert all(len(line) <= 40 for line in lines if not line.startswith("    code"))
    assert "  word word" in wrapped  # a list item continues under its text
    assert "        word word" in wrapped  # an Args entry continues one level deeper
    assert f"    code {long}" in lines  # indented code is left alone


def test_generated_docstrings_are_plain_and_fit_the_line() -> None:
    field = ir.field("amount", "int", description=STRIPE_LIKE)
    model = ir.model("Charge", field, description=STRIPE_LIKE)
    api = ir.api(types=(model,), description=STRIPE_LIKE)
    files = render(api, GenerateConfig("charges"))
    for path in ("charges/models.py", "charges/__init__.py"):
        assert "<p>" not in files[path]
        assert "<code>" not in files[path]
        assert max(len(line) for line in files[path].splitlines()) <= 88, path
    doc = ast.get_docstring(ast.parse(files["charges/__init__.py"])) or ""
    assert "See the API reference (https://stripe.com/docs/api) & the guides." in doc.replace(
        "\n", " "
    )
    # A list item wraps under its own text.
    assert "whatever else the\n  request asks for." in doc


def test_an_argument_of_several_paragraphs_wraps_in_each() -> None:
    long = "word " * 30
    text = f"Summary.\n\nArgs:\n    limit: {long}\n\n        {long}\n\n            code {long}"
    lines = wrap(text, 40).split("\n")
    assert all(len(line) <= 40 for line in lines if "code" not in line)
    assert f"            code {long}" in lines  # deeper than an entry's text: code, kept
    assert lines[-3].startswith("        word")  # the second paragraph stays under its entry


def test_preformatted_html_stays_as_an_indented_block() -> None:
    text = '<p>For example:</p><pre>{\n  "id": <b>1</b>\n}</pre><p>Done.</p>'
    assert readable(text) == 'For example:\n\n    {\n      "id": 1\n    }\n\nDone.'
    long = "word " * 30
    assert f"    {long.strip()}" in wrap(readable(f"<pre>{long}</pre>"), 40).split("\n")
