"""The XML codec against the examples of the OpenAPI specification's XML Object, and the
documents real services send."""

from __future__ import annotations

from typing import Any

import pytest

from specloom_runtime.operation import XmlNode, XmlShape
from specloom_runtime.xml_bodies import MAX_DEPTH, MalformedXml, decode_xml, encode_xml


def shape(properties: dict[str, XmlNode], root: XmlNode | None = None) -> XmlShape:
    root = root or XmlNode(name="Root", model="Root")
    return XmlShape(root, (("Root", tuple(properties.items())),))


def body(content: bytes) -> bytes:
    """A document without its declaration."""
    return content.split(b"?>\n", 1)[1]


@pytest.mark.parametrize(
    ("node", "document"),
    [
        (XmlNode(items=XmlNode()), b"<animals>a</animals><animals>b</animals>"),
        (XmlNode(items=XmlNode(name="animal")), b"<animal>a</animal><animal>b</animal>"),
        (
            XmlNode(wrapped=True, items=XmlNode()),
            b"<animals><animals>a</animals><animals>b</animals></animals>",
        ),
        (
            XmlNode(wrapped=True, items=XmlNode(name="animal")),
            b"<animals><animal>a</animal><animal>b</animal></animals>",
        ),
        (
            XmlNode(name="aliens", wrapped=True, items=XmlNode()),
            b"<aliens><animals>a</animals><animals>b</animals></aliens>",
        ),
        (
            XmlNode(name="aliens", wrapped=True, items=XmlNode(name="animal")),
            b"<aliens><animal>a</animal><animal>b</animal></aliens>",
        ),
    ],
    ids=["unwrapped", "unwrapped-named", "wrapped", "wrapped-items-named", "wrapper-named", "both"],
)
def test_arrays_as_the_specification_shows_them(node: XmlNode, document: bytes) -> None:
    xml_shape = shape({"animals": node})
    written = encode_xml({"animals": ["a", "b"]}, xml_shape)
    assert body(written) == b"<Root>" + document + b"</Root>"
    assert decode_xml(written, xml_shape) == {"animals": ["a", "b"]}


def test_attributes_namespaces_and_prefixes() -> None:
    xml_shape = shape(
        {
            "id": XmlNode(attribute=True),
            "lang": XmlNode(attribute=True, namespace="urn:l", prefix="l"),
            "name": XmlNode(name="Name", namespace="urn:n", prefix="n"),
        },
        XmlNode(name="person", namespace="urn:p", model="Root"),
    )
    written = encode_xml({"id": 1, "lang": "en", "name": "Ann"}, xml_shape)
    assert body(written) == (
        b'<person xmlns="urn:p" id="1" xmlns:l="urn:l" l:lang="en">'
        b'<n:Name xmlns:n="urn:n">Ann</n:Name></person>'
    )
    assert decode_xml(written, xml_shape) == {"id": "1", "lang": "en", "name": "Ann"}


def test_an_attribute_namespace_without_a_prefix_leaves_its_element_alone() -> None:
    xml_shape = shape({"id": XmlNode(attribute=True, namespace="urn:a")})
    assert body(encode_xml({"id": 1}, xml_shape)) == b'<Root id="1" />'


def test_an_empty_list_is_an_empty_wrapper_and_reads_back_empty() -> None:
    xml_shape = shape({"tags": XmlNode(items=XmlNode(name="tag")), "name": XmlNode()})
    written = encode_xml({"tags": [], "name": "x"}, xml_shape)
    assert body(written) == b"<Root><tags /><name>x</name></Root>"
    assert decode_xml(written, xml_shape) == {"tags": [], "name": "x"}


def test_an_empty_list_named_like_its_items_reads_back_empty() -> None:
    # No `xml.name` on the items: they take the property's name, and so does the list.
    xml_shape = shape({"Statuses": XmlNode(items=XmlNode(model="Status"))})
    written = encode_xml({"Statuses": []}, xml_shape)
    assert body(written) == b"<Root><Statuses /></Root>"
    assert decode_xml(written, xml_shape) == {"Statuses": []}


def test_a_list_whose_items_share_a_name_with_another_property_is_wrapped() -> None:
    # Amazon Redshift's Snapshot: a `NodeType` and a list of `NodeType`s, both unwrapped.
    xml_shape = shape(
        {"NodeType": XmlNode(), "RestorableNodeTypes": XmlNode(items=XmlNode(name="NodeType"))}
    )
    data = {"NodeType": "dc2", "RestorableNodeTypes": ["ra3", "ds2"]}
    written = encode_xml(data, xml_shape)
    assert b"<RestorableNodeTypes><NodeType>ra3</NodeType>" in written
    assert decode_xml(written, xml_shape) == data


def test_a_list_is_read_whether_or_not_the_document_wraps_it() -> None:
    xml_shape = shape({"Tags": XmlNode(items=XmlNode(name="Tag", model="Tag"))})
    wrapped = b"<Root><Tags><Tag><Key>a</Key></Tag><Tag><Key>b</Key></Tag></Tags></Root>"
    side_by_side = b"<Root><Tag><Key>a</Key></Tag><Tag><Key>b</Key></Tag></Root>"
    expected = {"Tags": [{"Key": "a"}, {"Key": "b"}]}
    assert decode_xml(wrapped, xml_shape) == expected
    assert decode_xml(side_by_side, xml_shape) == expected


def test_undeclared_elements_are_kept_by_name() -> None:
    xml_shape = shape({"name": XmlNode()})
    document = b"<Root><name>x</name><extra a='1'><b>2</b></extra><n>1</n><n>2</n></Root>"
    assert decode_xml(document, xml_shape) == {
        "name": "x",
        "extra": {"b": "2", "a": "1"},
        "n": ["1", "2"],
    }


def test_scalars_are_written_as_json_would_spell_them() -> None:
    xml_shape = shape({"on": XmlNode(), "n": XmlNode(), "x": XmlNode()})
    written = encode_xml({"on": False, "n": 2, "x": 1.5, "skipped": None}, xml_shape)
    assert body(written) == b"<Root><on>false</on><n>2</n><x>1.5</x></Root>"


def test_a_map_reads_its_values_by_their_schema() -> None:
    # SQS: MessageAttributes maps a name to a value object holding a list.
    map_node = XmlNode(model="Attributes", values=XmlNode(model="Value"))
    xml_shape = XmlShape(
        XmlNode(name="Message", model="Message"),
        (
            ("Message", (("Attributes", map_node),)),
            ("Attributes", ()),
            ("Value", (("Strings", XmlNode(items=XmlNode(name="String"))),)),
        ),
    )
    data = {"Attributes": {"colour": {"Strings": ["red"]}, "size": {"Strings": []}}}
    written = encode_xml(data, xml_shape)
    assert body(written) == (
        b"<Message><Attributes><colour><String>red</String></colour>"
        b"<size><Strings /></size></Attributes></Message>"
    )
    assert decode_xml(written, xml_shape) == data


def test_an_object_without_properties_reads_as_an_empty_object() -> None:
    xml_shape = XmlShape(XmlNode(name="Done", model="Done"), (("Done", ()),))
    assert decode_xml(encode_xml({}, xml_shape), xml_shape) == {}


def test_a_root_array() -> None:
    xml_shape = XmlShape(
        XmlNode(name="books", items=XmlNode(name="book", model="Book")),
        (("Book", (("id", XmlNode(attribute=True)),)),),
    )
    written = encode_xml([{"id": 1}, {"id": 2}], xml_shape)
    assert body(written) == b'<books><book id="1" /><book id="2" /></books>'
    assert decode_xml(written, xml_shape) == [{"id": "1"}, {"id": "2"}]


@pytest.mark.parametrize(
    "document",
    [
        b"<Root><name>x</Root>",
        b"",
        b'<!DOCTYPE r [<!ENTITY a "x">]><Root>&a;</Root>',
        b'<!DOCTYPE r SYSTEM "http://example.com/r.dtd"><Root/>',
        b"<Root>" + b"<a>" * (MAX_DEPTH + 2) + b"</a>" * (MAX_DEPTH + 2) + b"</Root>",
    ],
    ids=["malformed", "empty", "entity", "external-dtd", "too-deep"],
)
def test_malformed_and_unsafe_documents_are_refused(document: bytes) -> None:
    with pytest.raises(MalformedXml):
        decode_xml(document, shape({"name": XmlNode()}))


def test_a_self_containing_schema() -> None:
    xml_shape = XmlShape(
        XmlNode(name="node", model="Node"),
        (("Node", (("name", XmlNode()), ("child", XmlNode(model="Node")))),),
    )
    data: Any = {"name": "a", "child": {"name": "b", "child": {"name": "c"}}}
    assert decode_xml(encode_xml(data, xml_shape), xml_shape) == data


@pytest.mark.parametrize("key", ["user@example.com", "two words", "1st", "", "x:y"])
def test_a_key_that_is_no_element_name_is_refused_not_written_malformed(key: str) -> None:
    # amazonaws email's DkimAttributes maps identities (`user@example.com`) to objects.
    map_node = XmlNode(model="Attributes", values=XmlNode())
    xml_shape = XmlShape(
        XmlNode(name="Response", model="Response"),
        (("Response", (("Attributes", map_node),)), ("Attributes", ())),
    )
    with pytest.raises(ValueError, match="no XML element name") as raised:
        encode_xml({"Attributes": {"example.com": "a", key: "b"}}, xml_shape)
    assert repr(key) in str(raised.value)


def test_names_xml_allows_are_written() -> None:
    xml_shape = shape({})
    written = encode_xml({"example.com": "a", "é-tag_2": "b", "_x": "c"}, xml_shape)
    assert decode_xml(written, xml_shape) == {"example.com": "a", "é-tag_2": "b", "_x": "c"}


def test_a_property_in_the_xml_namespace_is_written() -> None:
    # channel4's Atom feeds declare `xml:base` and `xml:lang` properties: the `xml` prefix
    # is bound in every document.
    xml_shape = shape({"xml:base": XmlNode(), "title": XmlNode()})
    written = encode_xml({"xml:base": "http://x/", "title": "t"}, xml_shape)
    assert body(written) == b"<Root><xml:base>http://x/</xml:base><title>t</title></Root>"
    assert decode_xml(written, xml_shape) == {"xml:base": "http://x/", "title": "t"}
    attribute = shape({"xml:lang": XmlNode(attribute=True)})
    written = encode_xml({"xml:lang": "en"}, attribute)
    assert decode_xml(written, attribute) == {"xml:lang": "en"}


@pytest.mark.parametrize("text", ["a\x1bb", "\x00", "bell\x07"])
def test_text_xml_cannot_hold_is_refused_not_written_malformed(text: str) -> None:
    # route53's ARN pattern admits control characters, which XML 1.0 cannot hold at all.
    xml_shape = shape({"Arn": XmlNode(), "Id": XmlNode(attribute=True)})
    with pytest.raises(ValueError, match="XML cannot hold"):
        encode_xml({"Arn": text}, xml_shape)
    with pytest.raises(ValueError, match="XML cannot hold"):
        encode_xml({"Id": text}, xml_shape)


def test_text_with_tabs_newlines_and_astral_characters_is_written() -> None:
    xml_shape = shape({"Arn": XmlNode()})
    text = "a\tb\nc\r\nd\r𝄞é"
    assert decode_xml(encode_xml({"Arn": text}, xml_shape), xml_shape) == {"Arn": text}
