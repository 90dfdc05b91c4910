"""Spec descriptions in HTML or long Markdown lines become readable, wrapped docstrings."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.config import GenerateConfig
from specloom.render import render
from specloom.render.docstrings import docstring_source
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
    for path in ("charges/models/_charge.py", "charges/__init__.py"):
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


def test_escaped_quotes_count_toward_the_line_length() -> None:
    quoted = 'Use "a", "b" or "c" as the "kind" of the "thing" you "send". ' * 4
    field = ir.field("kind", "str", description=quoted)
    files = render(ir.api(types=(ir.model("Thing", field),)), GenerateConfig("q"))
    source = files["q/models/_thing.py"]
    assert max(len(line) for line in source.splitlines()) <= 88
    tree = ast.parse(source)
    docs = [node.value.value for node in ast.walk(tree) if isinstance(node, ast.Expr)]
    assert " ".join(quoted.split()) in [" ".join(str(doc).split()) for doc in docs]


def test_markdown_with_some_html_keeps_its_structure() -> None:
    text = "Lists pets.\n\n- by <code>name</code>\n- by age<br>or size\n\nSee <b>also</b> this."
    assert readable(text) == "Lists pets.\n\n- by `name`\n- by age\nor size\n\nSee **also** this."
    # Inside HTML elements, line breaks are white space, as in a browser.
    html = "<ul>\n  <li>one</li>\n  <li>two\n    more</li>\n</ul>\n<p>\n   Some   text\n</p>"
    assert readable(html) == "- one\n- two more\n\nSome text"


@settings(max_examples=200, deadline=None)
@given(text=st.text(), width=st.integers(min_value=20, max_value=100))
def test_wrapping_only_moves_line_breaks(text: str, width: int) -> None:
    assert wrap(text, width).split() == text.split()


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('<>/p li ul"\\\n&;ab`*#|-'))))
def test_any_description_makes_a_docstring_that_reads_back(text: str) -> None:
    plain = readable(text)
    source = f'def f() -> None:\n    """{docstring_source(plain, 4)}"""\n'
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert (ast.get_docstring(function) or "").split() == plain.split()


def test_a_broken_line_takes_the_rest_of_its_paragraph_along() -> None:
    # A paragraph the spec wrapped at 100 columns, wrapped again at 40, reads evenly.
    source = (
        "For other accounts, some properties are returned until that account has started\n"
        "to go through onboarding. Once\n"
        "done, more.\n"
        "\n"
        "Short line.\n"
        "Another short line.\n"
        "- a list item that is long enough to be wrapped at forty columns\n"
        "  and continues here.\n"
        "- next item"
    )
    assert wrap(source, 40) == (
        "For other accounts, some properties are\n"
        "returned until that account has started\n"
        "to go through onboarding. Once done,\n"
        "more.\n"
        "\n"
        "Short line.\n"
        "Another short line.\n"
        "- a list item that is long enough to be\n"
        "  wrapped at forty columns and continues\n"
        "  here.\n"
        "- next item"
    )
    hard = "a line that ends with a hard line break here  \nnext"
    assert wrap(hard, 30).endswith("\nnext")


def test_indented_text_right_after_a_line_of_text_is_text_not_code() -> None:
    # As in Markdown: indented code cannot interrupt a paragraph.
    source = "Creates an activity. The ID will be assigned\n" + " " * 20 + "on creation. " * 6
    wrapped = wrap(source, 40)
    assert all(len(line) <= 40 for line in wrapped.split("\n"))
    assert wrapped.split() == source.split()
    assert wrap("Example:\n\n" + " " * 20 + "code " * 10, 40).endswith("code " * 10)


def test_inline_triple_backticks_do_not_open_a_fence() -> None:
    long = "word " * 20
    text = f"``` https://example.com/x?a={{A}} ```\n\n{long}"
    assert all(len(line) <= 40 for line in wrap(text, 40).split("\n")[1:])


def test_a_list_inside_an_argument_wraps_under_its_items() -> None:
    long = "word " * 20
    text = f"Args:\n    kind: One of:\n\n         * `a` {long}\n         * `b`"
    lines = wrap(text, 50).split("\n")
    assert all(len(line) <= 50 for line in lines)
    assert lines[3] == "         * `a` word word word word word word word"
    assert lines[4].startswith("           word")  # under the item's text


def test_html_parser_is_imported_only_for_html() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from specloom.render.prose import readable\n"
        "print(readable('plain'), 'html.parser' in sys.modules, end=' ')\n"
        "print(readable('<p>one</p>'), 'html.parser' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "plain False one True"
