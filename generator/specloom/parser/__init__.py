"""The parse stage: an OpenAPI document (loaded, bundled) becomes the IR.

`parse(document)` returns the `Api` and the diagnostics found on the way; it
never raises on bad input.
"""

from specloom.parser.api import parse

__all__ = ["parse"]
