"""Python's module path without the working directory, which may be a stranger's checkout.

`python -m indru_data.cli` puts the working directory first on `sys.path`, and so does an
interactive session or a notebook. A module there named like one we import lazily (`pandera.py`)
or like a Frictionless plugin (`frictionless_*.py`, which Frictionless imports on its own when
it first looks for plugins) would then run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator


def outside_working_directory(paths: Iterable[str]) -> list[str]:
    """The entries of a module path that are not the working directory ('' or its path)."""
    cwd = os.getcwd()
    return [p for p in paths if p and os.path.abspath(p) != cwd]


@contextlib.contextmanager
def working_directory_off_the_path() -> Iterator[None]:
    """sys.path without the working directory while the block runs, as it was afterwards."""
    saved = list(sys.path)
    sys.path[:] = outside_working_directory(saved)
    try:
        yield
    finally:
        sys.path[:] = saved
