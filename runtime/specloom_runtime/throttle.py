"""Client-side rate limits: `RateLimit` declares one, `Throttle` books calls against them.

Every call has a limit id, the Python name of its operation (`get_pet`); the id `"*"`
covers every call. A call counts `weight` against its own limit, the weight of each linked
limit against that one, and the weight of `"*"` against `"*"`. At most `limit` weight fits
in any `interval` seconds (a sliding window).

Booking is first come, first served: each call is given the earliest time at which it fits
in all its windows, never before a call booked earlier, and sleeps until then; on waking it
is checked against the times the calls ahead of it really went, and sleeps again if one of
them went late (no polling). So under contention calls go in arrival order, none starves,
and the limit holds for the times requests leave, not only for the times planned.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpx

from .retry import server_delay

__all__ = ["ALL_CALLS", "RateLimit", "Throttle", "Ticket", "quota_reset"]

ALL_CALLS = "*"
"""The limit id that covers every call of a client."""

_EPOCH_THRESHOLD = 1_000_000_000.0  # a reset larger than this is a Unix time, not a delay
_FIELD_NAMES = {"r": "r", "remaining": "r", "t": "t", "reset": "t"}
_STRUCTURED_FIELD = re.compile(r"(?:^|[;,\s])(r|remaining|t|reset)=(\d+(?:\.\d+)?)", re.I)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` weight per `interval` seconds for the calls with id `limit_id`.

    A call with this id counts `weight` here and, for each `(other_id, weight)` in
    `linked`, that weight against the limit `other_id` (which must be declared too).
    """

    limit_id: str
    limit: int
    interval: float
    weight: int = 1
    linked: Sequence[tuple[str, int]] = field(default=())

    def __post_init__(self) -> None:
        if self.limit < 1 or self.interval <= 0:
            raise ValueError(f"{self.limit_id}: limit must be at least 1 and interval positive")
        object.__setattr__(self, "linked", tuple((str(i), int(w)) for i, w in self.linked))
        for limit_id, weight in [(self.limit_id, self.weight), *self.linked]:
            if weight < 0:
                raise ValueError(f"{self.limit_id}: the weight for {limit_id!r} is negative")


class _Booking:
    """One call's place in one window: its weight, and when it goes (or went)."""

    __slots__ = ("time", "weight")

    def __init__(self, time: float, weight: int) -> None:
        self.time = time
        self.weight = weight


class _Window:
    """The bookings of one limit, in arrival order."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self.bookings: deque[_Booking] = deque()

    def earliest(self, now: float, weight: int, mine: _Booking | None = None) -> float:
        """The earliest time, not before any call booked ahead of `mine` (all of them when
        None), at which `weight` more fits in the window."""
        limit, interval = self.limit.limit, self.limit.interval
        if weight > limit:
            raise ValueError(
                f"a call of weight {weight} never fits the limit {self.limit.limit_id!r}"
                f" of {limit} per {interval} s"
            )
        bookings = self.bookings
        while bookings and bookings[0] is not mine and bookings[0].time <= now - interval:
            bookings.popleft()
        ahead: list[_Booking] = []
        for booking in bookings:
            if booking is mine:
                break
            ahead.append(booking)
        at = max([now, *(booking.time for booking in ahead)])
        counted = sorted((b.time, b.weight) for b in ahead if b.time > at - interval)
        excess = sum(w for _, w in counted) + weight - limit
        for booked_at, booked_weight in counted:
            if excess <= 0:
                break
            excess -= booked_weight
            at = max(at, booked_at + interval)
        return at


@dataclass
class Ticket:
    """A call's bookings, from `Throttle.reserve` until it goes."""

    limit_id: str
    bookings: list[tuple[str, _Booking]]


class Throttle:
    """Books calls against `RateLimit`s; safe to share between threads and tasks.

    `reserve` books a call and says how long to wait; after waiting, `ready` checks the
    call against when the calls ahead of it actually went (a thread or task may wake
    late), and either lets it go, noting the time, or says how much longer to wait. The
    caller does the sleeping, so one throttle serves sync and async clients alike.
    """

    def __init__(
        self, limits: Iterable[RateLimit], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limits = {limit.limit_id: limit for limit in limits}
        for limit in self._limits.values():
            for other_id, _ in limit.linked:
                if other_id not in self._limits:
                    raise ValueError(f"{limit.limit_id}: linked limit {other_id!r} is not declared")
        self._windows = {limit_id: _Window(limit) for limit_id, limit in self._limits.items()}
        self._paused: dict[str, float] = {}
        self._clock = clock
        self._lock = threading.Lock()
        self.active = bool(self._limits)
        """Whether calls need booking: limits are declared, or a limit id was paused."""

    def reserve(self, limit_id: str, weight: int | None = None) -> tuple[Ticket, float]:
        """Book a call with id `limit_id`; its ticket and the seconds to wait before `ready`.

        `weight` replaces the weight on the call's own limit (on `"*"` when it has none).
        """
        costs = self._costs(limit_id, weight)
        with self._lock:
            now = self._clock()
            at = self._earliest(limit_id, costs, now, None)
            ticket = Ticket(limit_id, [(i, _Booking(at, w)) for i, w in costs])
            for other_id, booking in ticket.bookings:
                self._windows[other_id].bookings.append(booking)
        return ticket, at - now

    def ready(self, ticket: Ticket) -> float:
        """0 when the call may go now (and it is noted as gone), else the seconds to wait."""
        with self._lock:
            now = self._clock()
            costs = [(i, b.weight) for i, b in ticket.bookings]
            at = self._earliest(ticket.limit_id, costs, now, ticket)
            if at > now:
                return at - now
            for _, booking in ticket.bookings:
                booking.time = now
        return 0.0

    def cancel(self, ticket: Ticket) -> None:
        """Give up a booked call that will not go."""
        with self._lock:
            for other_id, booking in ticket.bookings:
                bookings = self._windows[other_id].bookings
                if booking in bookings:
                    bookings.remove(booking)

    def pause(self, limit_id: str, seconds: float) -> None:
        """Let no call with id `limit_id` (or counting against it) go for `seconds`."""
        with self._lock:
            until = self._clock() + seconds
            self._paused[limit_id] = max(self._paused.get(limit_id, until), until)
            self.active = True

    def limit_ids(self, limit_id: str) -> list[str]:
        """The ids a call with `limit_id` counts against, its own first."""
        return [limit_id, *(i for i, _ in self._costs(limit_id, None) if i != limit_id)]

    def _earliest(
        self, limit_id: str, costs: list[tuple[str, int]], now: float, ticket: Ticket | None
    ) -> float:
        mine = dict(ticket.bookings) if ticket is not None else {}
        at = max((self._windows[i].earliest(now, w, mine.get(i)) for i, w in costs), default=now)
        return max([at, *(self._paused.get(i, now) for i in (limit_id, *dict(costs)))])

    def _costs(self, limit_id: str, weight: int | None) -> list[tuple[str, int]]:
        costs: list[tuple[str, int]] = []
        own = self._limits.get(limit_id)
        if own is not None:
            costs += [(limit_id, own.weight if weight is None else weight), *own.linked]
        everything = self._limits.get(ALL_CALLS)
        if everything is not None and limit_id != ALL_CALLS:
            star_weight = weight if own is None and weight is not None else everything.weight
            costs += [(ALL_CALLS, star_weight), *everything.linked]
        return costs


def quota_reset(response: httpx.Response) -> float | None:
    """How long the server says its quota is gone for, or None when it does not say so.

    Read from a 429's `Retry-After`, or from rate-limit headers that report nothing
    remaining: `RateLimit-Remaining`/`RateLimit-Reset`, `X-RateLimit-Remaining`/
    `X-RateLimit-Reset` (seconds, or a Unix time), or `RateLimit: ...;r=0;t=30`.
    """
    headers = response.headers
    if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
        delay = server_delay(headers)
        if delay is not None:
            return delay
    for prefix in ("ratelimit-", "x-ratelimit-"):
        remaining = headers.get(prefix + "remaining")
        if remaining is not None and remaining.strip() == "0":
            return _reset_seconds(headers.get(prefix + "reset"))
    combined = headers.get("ratelimit")
    if combined is not None:
        fields = {_FIELD_NAMES[k.lower()]: v for k, v in _STRUCTURED_FIELD.findall(combined)}
        if fields.get("r") == "0":
            return _reset_seconds(fields.get("t"))
    return None


def _reset_seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    if seconds is None:
        return None
    if seconds > _EPOCH_THRESHOLD:
        seconds -= time.time()
    return max(seconds, 0.0)
