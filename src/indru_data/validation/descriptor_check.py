"""Frictionless's check of the descriptor as written, optionally started early in a child process.

Checking the descriptor and its schema files against Frictionless's metadata profiles is the
first thing validation needs and the last thing it depends on: nothing else reads its result
until the frictionless stage reports. In-process it costs `import frictionless` plus the
discovery of its plugins and the jsonschema checks, about a quarter of a second of every
`indru-data validate` on the shipped package (docs/performance.md). When the command is its own
process and a second CPU is free, `start()` runs that check in a fresh interpreter while this
one imports pandera and reads the tables; `errors()` then takes the child's answer for the very
same descriptor text and folder, or checks in-process when there is none (or the child failed).

The child is `python -I -c CHILD`: isolated, so neither the working directory (a stranger's
checkout) nor PYTHON* variables put modules on its path; it is given this process's module
path minus the working directory, so it imports the same frictionless this process would. It
reads the descriptor from stdin, writes a JSON list of errors to stdout, and nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

# What the child runs. `sys` is built in, so nothing is looked up before the path is set.
CHILD = """\
import sys
import json
data = json.load(sys.stdin)
sys.path[:] = data["path"]
import frictionless
meta = frictionless.Package.validate_descriptor(data["descriptor"], basepath=data["basepath"])
errors = [] if meta.valid else [e.to_descriptor() for e in meta.errors]
json.dump([{"type": e.get("type"), "message": e.get("message")} for e in errors], sys.stdout)
"""
WAIT_SECONDS = 600  # then the child is killed and the check is done here

_PENDING: dict[tuple[str, str], tuple[subprocess.Popen[str], threading.Thread]] = {}
_KNOWN: dict[tuple[str, str], list[dict[str, Any]]] = {}


def start(descriptor: dict[str, Any], basepath: Path) -> bool:
    """Start checking `descriptor` in a child process; False when it is not worth it here.

    Call it only for a descriptor whose tables were accepted (DataPackage.tables): the child's
    Frictionless reads the schema files the descriptor names.
    """
    if _usable_cpus() < 2 or not sys.executable:
        return False  # one CPU: the child would compete with this process for it
    key = _key(descriptor, basepath)
    if key in _PENDING:
        return True
    cwd = os.getcwd()
    path = [p for p in sys.path if p and os.path.abspath(p) != cwd]
    payload = json.dumps({"path": path, "descriptor": descriptor, "basepath": str(basepath)})
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
    except OSError:
        return False
    # Written by a thread: a descriptor larger than the pipe's buffer would otherwise hold this
    # process until the child has started and read it.
    writer = threading.Thread(target=_send, args=(child, payload), daemon=True)
    writer.start()
    _PENDING[key] = (child, writer)
    return True


def _send(child: subprocess.Popen[str], payload: str) -> None:
    try:
        assert child.stdin is not None
        with child.stdin:
            child.stdin.write(payload)
    except (OSError, ValueError):
        pass  # the child is gone: its answer is refused below


def pending(descriptor: dict[str, Any], basepath: Path) -> bool:
    """True when a child is checking this very descriptor: its answer can be asked for later."""
    return bool(_PENDING) and _key(descriptor, basepath) in _PENDING


def remember(descriptor: dict[str, Any], basepath: Path, found: list[dict[str, Any]]) -> None:
    """Keep an answer for the next errors() call on the same descriptor (once)."""
    _KNOWN[_key(descriptor, basepath)] = found


def errors(descriptor: dict[str, Any], basepath: Path) -> list[dict[str, Any]]:
    """Frictionless's metadata errors for the descriptor: [{"type": ..., "message": ...}]."""
    key = _key(descriptor, basepath)
    if key in _KNOWN:
        return _KNOWN.pop(key)
    pending = _PENDING.pop(key, None)
    if pending is not None:
        found = _answer(*pending)
        if found is not None:
            return found
    return check_here(descriptor, basepath)


def check_here(descriptor: dict[str, Any], basepath: Path) -> list[dict[str, Any]]:
    import frictionless

    meta = frictionless.Package.validate_descriptor(descriptor, basepath=str(basepath))
    if meta.valid:
        return []
    return [
        {"type": d.get("type"), "message": d.get("message")}
        for d in (e.to_descriptor() for e in meta.errors)
    ]


def cancel() -> None:
    """Stop every child whose answer nobody will ask for, and forget kept answers."""
    _KNOWN.clear()
    while _PENDING:
        _, (child, writer) = _PENDING.popitem()
        child.kill()
        writer.join()
        child.stdin = None
        child.communicate()


def _answer(child: subprocess.Popen[str], writer: threading.Thread) -> list[dict[str, Any]] | None:
    """The child's errors, or None if it failed in any way (the caller then checks here)."""
    writer.join(WAIT_SECONDS)
    child.stdin = None  # closed by the writer; communicate() must not touch it
    try:
        out, _ = child.communicate(timeout=WAIT_SECONDS)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        child.kill()
        child.communicate()
        return None
    if child.returncode != 0:
        return None
    try:
        found = json.loads(out)
    except ValueError:
        return None
    if not isinstance(found, list) or not all(
        isinstance(e, dict) and set(e) == {"type", "message"} for e in found
    ):
        return None
    return found


def _key(descriptor: dict[str, Any], basepath: Path) -> tuple[str, str]:
    return json.dumps(descriptor, sort_keys=True), str(basepath)


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
