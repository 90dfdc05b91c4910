"""A validator on standby: a child process, forked as a `generate` command starts, that
imports openapi-spec-validator when told a rebuild may need it and says whether
validation finds anything in one path item.

A rebuild of one operation (`specloom.operation_edits`) validates the changed path item
(`path_item_check.path_item_is_clean`). Most of that cost is importing the validator:
about 80 ms of CPU of a 0.3-0.4 s rebuild of GitHub's spec, which nothing else in the
rebuild needs. Imported by a second process while this one reads the record, builds the
operation and renders it, it costs 10-20 ms more CPU (the child imports cold) and no
waiting.

The child is forked before the command imports the rest of specloom and reads the record
and the spec: what the two processes share then is small (forked once the record is
read, the parent copied about 5,000 more of the pages they shared, by its page faults).
It waits, doing nothing, until told to import the validator (`prepare`); a run that
needs no such answer (an unchanged spec, an edited description, a full run) closes it
without that cost. The question's document comes through a temporary file both hold (a
pipe could fill and make this process wait), the answer as one byte. The child leaves
with `os._exit`: nothing of this process (buffered output, `atexit` handlers) is run or
flushed twice. When the child gives no answer, the caller validates itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import warnings
from typing import IO, Any

from specloom.forking import can_fork_aside
from specloom.unread_schemas import Unread

__all__ = ["ValidatorStandby", "finds_nothing"]

_PREPARE, _QUESTION = b"p", b"q"
_YES, _NO = b"1", b"0"
_LENGTH = 8
"""Bytes of a question's length, after its command byte."""


class ValidatorStandby:
    """The parent's side: the child's process id, the pipes to and from it, and the file
    questions are written to."""

    def __init__(self, pid: int, commands: int, answers: int, questions: IO[bytes]) -> None:
        self._pid = pid
        self._commands = commands
        self._answers = answers
        self._questions = questions
        self._asked = False

    @classmethod
    def start(cls) -> ValidatorStandby | None:
        """A child on standby; None when none can run aside (`can_fork_aside`), or when
        the system refuses what it needs (a temporary file, pipes, a process)."""
        if not can_fork_aside():
            return None
        opened: list[int] = []
        try:
            questions = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        except OSError:
            return None
        try:
            to_child, commands = os.pipe()
            opened += [to_child, commands]
            answers, from_child = os.pipe()
            opened += [answers, from_child]
            pid = os.fork()
        except OSError:
            for descriptor in opened:
                os.close(descriptor)
            questions.close()
            return None
        if pid == 0:  # pragma: no cover - the child's side; its answers are what is tested
            os.close(commands)
            os.close(answers)
            _serve(to_child, from_child, questions)
        os.close(to_child)
        os.close(from_child)
        return cls(pid, commands, answers, questions)

    @property
    def running(self) -> bool:
        return self._pid != 0

    def prepare(self) -> None:
        """Have the child import the validator now: a question may follow."""
        self._send(_PREPARE)

    def ask(self, document: dict[str, Any], path: str, may_have_id: bool) -> None:
        """Ask whether validation finds anything in `document`'s path item `path` (as
        `path_item_check.path_item_is_clean` with `may_have_id`); `answer` tells."""
        if not self._pid:
            return
        try:
            data = _pickled((document, path, may_have_id))
        except (pickle.PicklingError, RecursionError, TypeError):
            return  # not asked: `answer` says so
        self._questions.seek(0)
        self._questions.truncate()
        self._questions.write(data)
        self._questions.flush()
        self._asked = self._send(_QUESTION + len(data).to_bytes(_LENGTH, "little"))

    def answer(self) -> bool | None:
        """The answer to the question asked: whether validation finds nothing; None when
        the child gave none (then the caller validates itself)."""
        if not self._asked:
            return None
        self._asked = False
        try:
            told = os.read(self._answers, 1)
        except OSError:
            told = b""
        if told in (_YES, _NO):
            return told == _YES
        self.close()
        return None

    def close(self) -> None:
        """Stop the child (whatever it is doing) and wait for it to end."""
        if not self._pid:
            return
        pid, self._pid = self._pid, 0
        os.close(self._commands)
        os.close(self._answers)
        self._questions.close()
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the process exists, ended or not
        os.waitpid(pid, 0)

    def _send(self, data: bytes) -> bool:
        if not self._pid:
            return False
        try:
            os.write(self._commands, data)
        except OSError:  # the child has ended
            self.close()
            return False
        return True


def _serve(commands: int, answers: int, questions: IO[bytes]) -> None:  # pragma: no cover
    """The child's whole life: commands read until the parent closes the pipe.

    A Python warning raised here (importing the validator, or validating), which the
    command would have reported had it validated itself, makes the answer "maybe not":
    the run is then made in full, and says it."""
    code = 1
    try:
        with warnings.catch_warnings(record=True) as caught:
            while True:
                command = os.read(commands, 1)
                if command == _PREPARE:
                    _import_validator()
                elif command == _QUESTION:
                    length = int.from_bytes(_read_exactly(commands, _LENGTH), "little")
                    question = _unpickled(os.pread(questions.fileno(), length, 0))
                    clean = finds_nothing(*question) and not caught
                    os.write(answers, _YES if clean else _NO)
                else:  # the parent has closed the pipe
                    code = 0
                    break
    finally:
        os._exit(code)


def _import_validator() -> None:
    from specloom.validator_imports import import_validator_lightly

    import_validator_lightly()
    import specloom.path_item_check  # noqa: F401


def finds_nothing(document: dict[str, Any], path: str, may_have_id: bool) -> bool:
    """Whether validation finds nothing in `document`'s path item `path`
    (`path_item_check.path_item_is_clean`, told whether the document may hold a `$id`),
    the validator imported as `validator_imports` imports it: the child's answer, and
    the caller's when the child gives none."""
    from specloom.loading.loaded import LoadedSpec

    _import_validator()
    from specloom.path_item_check import path_item_is_clean

    return path_item_is_clean(LoadedSpec(document, ""), path, may_have_id)


def _read_exactly(descriptor: int, size: int) -> bytes:  # pragma: no cover - in the child
    data = b""
    while len(data) < size:
        more = os.read(descriptor, size - len(data))
        if not more:
            raise EOFError("the parent closed the pipe mid-question")
        data += more
    return data


class _Pickler(pickle.Pickler):
    """A document read in part: each `Unread` placeholder goes as its name (it refuses to
    be pickled itself, as it refuses every look)."""

    def persistent_id(self, obj: Any) -> str | None:
        return obj.wire if type(obj) is Unread else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Unread:
        return Unread(str(pid))


def _pickled(value: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _unpickled(data: bytes) -> Any:
    import io

    return _Unpickler(io.BytesIO(data)).load()
