"""`RetryBudget`: a token bucket, shared by one client's calls, that retries draw from.

Without it, a server that fails every request gets `max_attempts` times the traffic of a
healthy one. Each failed attempt takes a token, each success gives back `token_ratio` of
one; retries go ahead only while more than half of `max_tokens` is left (the throttling
gRPC clients use). A failing server soon gets one attempt per call, a healthy one with
rare failures sees every retry it needs.
"""

from __future__ import annotations

import threading

__all__ = ["RetryBudget"]


class RetryBudget:
    """Retry tokens shared by every call (and thread, and task) of one client."""

    def __init__(self, max_tokens: float = 10.0, token_ratio: float = 0.1) -> None:
        if max_tokens <= 0 or token_ratio < 0:
            raise ValueError("max_tokens must be positive and token_ratio not negative")
        self.max_tokens = max_tokens
        self.token_ratio = token_ratio
        self._tokens = max_tokens
        self._lock = threading.Lock()

    @property
    def tokens(self) -> float:
        """The tokens left."""
        return self._tokens

    def record_failure(self) -> bool:
        """Take a token for a failed attempt; whether a retry may follow."""
        with self._lock:
            self._tokens = max(self._tokens - 1, 0.0)
            return self._tokens > self.max_tokens / 2

    def record_success(self) -> None:
        """Give back a share of a token for a successful attempt."""
        if self._tokens >= self.max_tokens:
            return
        with self._lock:
            self._tokens = min(self._tokens + self.token_ratio, self.max_tokens)
