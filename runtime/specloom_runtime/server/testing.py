"""Helpers for testing a server over a real socket.

```python
from specloom_runtime.server.testing import serve_in_thread

with serve_in_thread(create_app(Pets())) as base_url:
    with Client(base_url=base_url) as client:
        assert client.pets.get_pet(pet_id=1).name == "Rex"
```

Needs uvicorn (`pip install uvicorn`).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp


@contextmanager
def serve_in_thread(
    app: ASGIApp, *, host: str = "127.0.0.1", startup_timeout: float = 10.0
) -> Iterator[str]:
    """Serve `app` with uvicorn on an ephemeral port in a background thread.

    Yields the base URL (`http://127.0.0.1:54321`) once the server accepts connections,
    and stops the server on exit. Raises RuntimeError if it does not start in time.
    """
    import uvicorn

    config = uvicorn.Config(app, host=host, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Naming the protocol lets asyncio turn Nagle off for each connection (it checks
    # `proto == IPPROTO_TCP`); without it, a kept-alive connection waits ~40ms per response.
    with socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP) as listener:
        listener.bind((host, 0))
        port = listener.getsockname()[1]
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listener]}, name="uvicorn", daemon=True
        )
        thread.start()
        try:
            _wait_until_started(server, thread, startup_timeout)
            yield f"http://{f'[{host}]' if ':' in host else host}:{port}"
        finally:
            server.should_exit = True
            thread.join(startup_timeout)


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server stopped while starting; see its log")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start within {timeout} seconds")
        time.sleep(0.01)
