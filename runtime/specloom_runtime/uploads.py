"""Files in multipart bodies: what a generated server hands its handler for a file part.

A schema property of `format: binary` is typed `FileContent` (`bytes | UploadedFile`):
a client sends `bytes` (or any `UploadedFile` it holds); a server receives every file part
as an `UploadedFile` — its filename and content type as sent, and its content in a
temporary file (in memory while small, on disk beyond), never read whole unless asked:

```python
async def upload_photo(self, *, body: UploadPhotoRequest) -> Photo:
    photo = body.file
    assert isinstance(photo, UploadedFile)
    with open(f"/photos/{photo.filename}", "wb") as out:
        shutil.copyfileobj(photo.file, out)
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, TypeAlias

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["FileContent", "UploadedFile"]


class UploadedFile:
    """One file of a multipart request: `filename`, `content_type`, `size`, `headers` and
    `file`, a binary file positioned at its start. The server closes it once the handler
    has answered."""

    def __init__(
        self,
        file: IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        size: int = 0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.file = file
        self.filename = filename
        """The filename the client gave, as sent: never use it as a path unchecked."""
        self.content_type = content_type
        self.size = size
        """The content's length in bytes."""
        self.headers: Mapping[str, str] = dict(headers or {})
        """The part's own headers, lower-case names."""
        self.name = filename or ""

    def read(self, size: int = -1) -> bytes:
        """Read `size` bytes (everything left when negative) from the file."""
        return self.file.read(size)

    def seek(self, offset: int) -> None:
        self.file.seek(offset)

    def close(self) -> None:
        self.file.close()

    def __repr__(self) -> str:
        return (
            f"UploadedFile(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={self.size})"
        )

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.is_instance_schema(cls)


FileContent: TypeAlias = bytes | UploadedFile
"""A `format: binary` property: bytes, or a file received by a server."""
