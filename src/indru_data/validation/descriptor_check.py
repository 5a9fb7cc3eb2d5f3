"""Frictionless's check of the descriptor as written, and answers kept for a second validation.

Checking the descriptor and its schema files against Frictionless's metadata profiles is the
first thing validation needs and the last thing it depends on: nothing else reads its result
until the frictionless stage reports. In-process it costs `import frictionless` plus the
discovery of its plugins and the jsonschema checks, about a quarter of a second of every
`indru-data validate` on the shipped package (docs/performance.md). When a child process
checks some tables (table_split.py), it does this check too, first, and validate() asks for
its answer after the other stages, on the bet that the descriptor is valid; a descriptor found
invalid is validated again with the answer known (`remember`), so the report is the same.

`indru-data validate` starts this check sooner still (`start`): in a child forked as soon as
the command has read the descriptor, before it imports pandera, so that the check runs on the
second CPU while the command imports and reads; validation then takes that child's answer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from indru_data.core.module_path import working_directory_off_the_path
from indru_data.validation import table_split

_KNOWN: dict[tuple[str, str], list[dict[str, Any]]] = {}
_PENDING: dict[tuple[str, str], table_split.Child] = {}
JOB = ("descriptor",)


def check(descriptor: dict[str, Any], basepath: Path) -> list[dict[str, Any]]:
    """Frictionless's metadata errors for the descriptor: [{"type": ..., "message": ...}]."""
    # Frictionless imports every frictionless_* module on the path as a plugin (module_path.py).
    with working_directory_off_the_path():
        import frictionless

        meta = frictionless.Package.validate_descriptor(descriptor, basepath=str(basepath))
    if meta.valid:
        return []
    return [
        {"type": d.get("type"), "message": d.get("message")}
        for d in (e.to_descriptor() for e in meta.errors)
    ]


def start(descriptor: dict[str, Any], basepath: Path, workers: int) -> bool:
    """Fork a child that checks the descriptor now; False where no child can be had.

    Only for a descriptor whose tables our guards accepted (DataPackage.tables): the child's
    Frictionless reads the schema files it names.
    """
    if not table_split.can_fork(workers):
        return False
    key = _key(descriptor, basepath)
    if key not in _PENDING:
        mine = copy.deepcopy(descriptor)
        try:
            _PENDING[key] = table_split.Child([JOB], lambda _job: check(mine, basepath))
        except OSError:
            return False
    return True


def pending(descriptor: dict[str, Any], basepath: Path) -> bool:
    """True when a child started by `start` is checking this very descriptor."""
    return bool(_PENDING) and _key(descriptor, basepath) in _PENDING


def errors(descriptor: dict[str, Any], basepath: Path) -> list[dict[str, Any]]:
    """The answer kept for this descriptor (once), else a started child's, else the check here."""
    key = _key(descriptor, basepath)
    if key in _KNOWN:
        return _KNOWN.pop(key)
    child = _PENDING.pop(key, None)
    if child is not None:
        found = child.outcome(JOB)  # None: the child failed
        if isinstance(found, list):
            return found
    return check(descriptor, basepath)


def remember(descriptor: dict[str, Any], basepath: Path, found: list[dict[str, Any]]) -> None:
    """Keep an answer for the next errors() call on the same descriptor and folder."""
    _KNOWN[_key(descriptor, basepath)] = found


def discard(descriptor: dict[str, Any], basepath: Path) -> None:
    """Forget the answer kept for this descriptor, and end a child nobody asked."""
    if not (_KNOWN or _PENDING):
        return  # the usual case: no descriptor serialised for nothing
    key = _key(descriptor, basepath)
    _KNOWN.pop(key, None)
    child = _PENDING.pop(key, None)
    if child is not None:
        child.abandon()


def known(descriptor: dict[str, Any], basepath: Path) -> bool:
    return bool(_KNOWN) and _key(descriptor, basepath) in _KNOWN


def forget() -> None:
    _KNOWN.clear()
    while _PENDING:
        _PENDING.popitem()[1].abandon()


def _key(descriptor: dict[str, Any], basepath: Path) -> tuple[str, str]:
    return json.dumps(descriptor, sort_keys=True, default=str), str(basepath)
