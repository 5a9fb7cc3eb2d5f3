"""The table-local stages of the last tables of a small package, in a forked child process.

Typing every cell, the Pandera model and the row rules look at one table only, and on the
shipped package they are most of what `indru-data validate` does after its imports: about a
millisecond per column, nearly all of it Python, so threads would not run two at once. A child
forked after the imports shares them, checks the last tables while this process checks the
first ones, and sends back, for each table, what the stages offered the report, the rows read
and the typed frame. This process then adds those failures in table order, as the memo
replays a table (memo.py): the report is the one the tables checked here in turn would give.

Only where it is safe and cheap: Linux (forking a process that has started threads is
well-defined there for what the child does: pandas, pyarrow and Python code, no locks of the
parent's other threads), a package small enough that sending the typed frames back costs
little (MAX_BYTES of CSV), and only when asked (`validate(workers=2)`, which `indru-data
validate` asks for when it is its own process and a second CPU is free). Anything the child
does not send back in full (it failed, took too long, or a table had more failures than
LIMIT) is checked here, so the worst case is the time the check would have taken anyway.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

MAX_BYTES = 16 * 1024**2  # of CSV to check in both processes; more is checked here alone
LIMIT = 1_001  # failures of one table; a table with more is checked again here
FIELD_COST = 50_000  # a column costs about what 50 kB of CSV costs (per-table timings)
DESCRIPTOR_COST = 100 * FIELD_COST  # Frictionless's check of the descriptor (0.16 s, first use)
WAIT_SECONDS = 60  # beyond this process's own share, before the child is given up
WAIT_FACTOR = 10  # and this many times the time the share took


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork(workers: int) -> bool:
    return workers > 1 and sys.platform.startswith("linux")


def usable(workers: int, size: int) -> bool:
    return can_fork(workers) and 0 < size <= MAX_BYTES


def split(costs: Sequence[float], extra: float = 0) -> int:
    """Where to cut the tables, in order: the first ones here, the rest in the child, which
    also has `extra` to do (the descriptor check).

    The cut that leaves the two sides the most nearly equal in cost; len(costs) means the
    child takes no table.
    """
    total = sum(costs)
    best, best_gap, before = len(costs), abs(total - extra), 0.0
    for cut, cost in enumerate(costs):
        gap = abs(before - (total - before + extra))
        if gap < best_gap:
            best, best_gap = cut, gap
        before += cost
    return best


def cost(fields: int, size: int) -> float:
    return fields * FIELD_COST + size


class Child:
    """A forked child doing `work(job)` for each job (a table's checks, the descriptor check);
    `outcome(job)` waits for all its answers the first time it is asked."""

    def __init__(self, names: list[Any], work: Callable[[Any], Any]) -> None:
        self.names = set(names)
        self.status: int | None = None  # the child's exit status, once collected
        self._answer: dict[Any, Any] | None = None
        self._started = time.monotonic()
        read, write = os.pipe()
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns that forking a process with threads may deadlock the child
                # (pandas' BLAS and Arrow's pool have idle threads here). The child takes no lock
                # those threads could hold: it runs pandas, pyarrow (which re-creates its pool
                # after a fork) and Python. Under `-W error` the warning would stop the command.
                warnings.filterwarnings(
                    "ignore", "This process .* is multi-threaded", DeprecationWarning
                )
                self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read)
                answer = {name: work(name) for name in names}
                data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write)
        self._read: int | None = read

    def outcome(self, name: Any) -> Any:
        """The job's answer, or None: then the job is to be done here."""
        if self._answer is None:
            self._answer = self._collect()
        return self._answer.get(name)

    def _collect(self) -> dict[Any, Any]:
        """Read the child's answer; anything short of a whole answer counts as none."""
        own = time.monotonic() - self._started  # this process's share took about as long
        deadline = time.monotonic() + WAIT_SECONDS + WAIT_FACTOR * own
        chunks: list[bytes] = []
        whole = False
        try:
            while time.monotonic() < deadline:
                assert self._read is not None
                if not select.select([self._read], [], [], deadline - time.monotonic())[0]:
                    break
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    whole = True  # the child closed its end: it is exiting
                    break
                chunks.append(chunk)
        finally:
            self.abandon(kill=not whole)
        if not whole or self.status != 0:
            return {}
        try:
            answer = pickle.loads(b"".join(chunks))  # our own child's bytes, never a file's
        except Exception:  # any damage means: check here
            return {}
        return answer if isinstance(answer, dict) else {}

    def abandon(self, *, kill: bool = True) -> None:
        """Stop listening and collect the child's exit status; with `kill`, end it first."""
        if self._read is not None:
            os.close(self._read)
            self._read = None
        if self.status is not None:
            return
        try:
            if kill:
                os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
        except (ChildProcessError, ProcessLookupError):
            self.status = -1
