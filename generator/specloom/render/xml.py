"""Source of the XML shapes in a module of operation descriptors (`_operations/<tag>.py`).

The properties of every object schema an XML body of the module reaches are written once,
in the module's `XML_MODELS` table; each body's `XmlShape` names its root and that table.
"""

from __future__ import annotations

from collections.abc import Iterable

from specloom.escaping import python_literal
from specloom.ir import Operation, XmlNode, XmlShape

MODELS_TABLE = "XML_MODELS"
RUNTIME_NAMES = ("XmlNode", "XmlProperties", "XmlShape")
"""What a module with XML shapes imports from `specloom_runtime.operation`."""


def shapes_of(operations: Iterable[Operation]) -> list[XmlShape]:
    """The XML shapes of the operations' bodies and responses, in order."""
    shapes: list[XmlShape] = []
    for operation in operations:
        if operation.body is not None and operation.body.xml is not None:
            shapes.append(operation.body.xml)
        shapes += [r.xml for r in operation.responses if r.xml is not None]
    return shapes


def models_table(shapes: Iterable[XmlShape]) -> str:
    """The `XML_MODELS = (...)` assignment of every model the shapes reach, by key."""
    models = {key: properties for shape in shapes for key, properties in shape.models}
    entries = "".join(
        f"({python_literal(key)}, ({_properties_source(properties)})),"
        for key, properties in sorted(models.items())
    )
    return f"{MODELS_TABLE}: tuple[tuple[str, XmlProperties], ...] = ({entries})"


def _properties_source(properties: tuple[tuple[str, XmlNode], ...]) -> str:
    return "".join(f"({python_literal(name)}, {node_source(node)})," for name, node in properties)


def shape_source(shape: XmlShape) -> str:
    """`XmlShape(...)` source for one body, its models in the module's table."""
    return f"XmlShape({node_source(shape.root)}, {MODELS_TABLE})"


def node_source(node: XmlNode) -> str:
    """`XmlNode(...)` source with the arguments that differ from the defaults."""
    arguments = [
        f"{name}={python_literal(value)}"
        for name, value in (
            ("name", node.name),
            ("namespace", node.namespace),
            ("prefix", node.prefix),
            ("model", node.model),
        )
        if value
    ]
    arguments += [f"{name}=True" for name in ("attribute", "wrapped") if getattr(node, name)]
    if node.items is not None:
        arguments.append(f"items={node_source(node.items)}")
    if node.values is not None:
        arguments.append(f"values={node_source(node.values)}")
    return f"XmlNode({', '.join(arguments)})"
