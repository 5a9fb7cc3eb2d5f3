"""Tests marked `xdist_group` run on one worker under pytest 9 too.

pytest-xdist 3.8 puts a group on one worker by appending "@group" to each test's node id on the
worker. pytest 9 derives node ids from a structured id that this does not change, so the suffix
never reaches the scheduler and every group was spread over the workers: each worker built the
fault matrix's shared copies, the release zip and the browser servers for itself
(pytest-dev/pytest-xdist#1386, open). Here each worker writes the groups it collected to a folder
the controller made, and the controller's scheduler reads them, using xdist's own hooks
(`pytest_configure_node`, `pytest_xdist_make_scheduler`); a node id xdist did suffix is left to
xdist.

conftest.py imports these hooks, so pytest finds them there.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

KEY = "indru_xdist_groups"
_FOLDER: list[str] = []  # the controller's folder, made once


def _folder(config: pytest.Config) -> str | None:
    if getattr(config.option, "dist", "no") != "loadgroup":
        return None
    if not _FOLDER:
        _FOLDER.append(tempfile.mkdtemp(prefix="indru-xdist-groups-"))
    return _FOLDER[0]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Controller: tell each worker where to write its groups."""
    folder = _folder(node.config)
    if folder is not None:
        node.workerinput[KEY] = folder


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Worker: write {node id: group} for the tests it collected, before reporting them."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput or KEY not in workerinput:
        return
    groups = {}
    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
        if names:
            groups[item.nodeid] = "_".join(sorted(names))
    path = Path(workerinput[KEY]) / f"{workerinput['workerid']}.json"
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(groups), encoding="utf-8")
    partial.replace(path)  # the controller never reads half a file


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Controller: xdist's loadgroup scheduler, reading the groups the workers wrote."""
    folder = _folder(config)
    if folder is None:
        return None
    try:
        from xdist.scheduler import LoadGroupScheduling
    except ImportError:  # a pytest-xdist that moved it: its own scheduler, groups or not
        return None

    class Grouped(LoadGroupScheduling):  # type: ignore[misc]
        def __init__(self, config: pytest.Config, log: Any) -> None:
            super().__init__(config, log)
            self.groups: dict[str, str] = {}

        def schedule(self) -> None:
            # Every worker has reported its collection (and so written its file) by now.
            if not self.groups:
                for path in sorted(Path(folder).glob("*.json")):
                    self.groups = {**self.groups, **json.loads(path.read_text(encoding="utf-8"))}
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            group = self.groups.get(nodeid)
            return f"group:{group}" if group is not None else super()._split_scope(nodeid)

    return Grouped(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _FOLDER and not hasattr(config, "workerinput"):
        shutil.rmtree(_FOLDER.pop(), ignore_errors=True)
