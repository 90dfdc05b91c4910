"""Operation selectors written as a path fragment.

AWS JSON-protocol specs key many operations on one path with a fragment,
`/#X-Amz-Target=Shield.AssociateDRTLogBucket`: the fragment is no part of the URL but a
request header, constant per operation, that selects the operation. Such a path becomes
the path before `#` plus the constant header; client and server both use it. Other
fragments are kept in the path as they are.
"""

from __future__ import annotations

import re

_HEADER_SELECTOR = re.compile(r"^(?P<name>[Xx]-[A-Za-z0-9-]+)=(?P<value>[^&=]+)$")


def split_fragment(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The URL path and the constant headers a `#Header-Name=value` fragment names."""
    base, hash_sign, fragment = path.partition("#")
    match = _HEADER_SELECTOR.match(fragment) if hash_sign else None
    if match is None:
        return path, ()
    return base or "/", ((match["name"], match["value"]),)
