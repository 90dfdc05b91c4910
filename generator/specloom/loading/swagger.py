"""Swagger 2.0 input: the place where it becomes OpenAPI 3 before bundling.

Conversion is not implemented yet, so a Swagger document is reported as
unsupported; nothing after the loader ever sees one.
"""

from __future__ import annotations

from specloom.diagnostics import Diagnostic, Level
from specloom.loading.locator import Locator
from specloom.loading.sources import SourceDocument


def to_openapi3(root: SourceDocument, locator: Locator) -> list[Diagnostic]:
    """Turn a Swagger root document into OpenAPI 3 in place; errors when that cannot be done.

    Documents without a `swagger` field are left alone.
    """
    if "swagger" not in root.content:
        return []
    version = root.content["swagger"]
    line, column = locator.position(root, "/swagger")
    message = (
        f"Swagger {version} is not supported yet: convert the document to OpenAPI 3 "
        "(for example with swagger2openapi) and generate from that"
    )
    return [Diagnostic(Level.ERROR, message, "/swagger", root.display, line, column)]
