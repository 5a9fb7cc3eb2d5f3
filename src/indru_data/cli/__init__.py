"""The `indru-data` command: list, describe, validate, build, diff, export and more.

A thin layer over the library (indru_data): the parser is in indru_data.cli.parser, each
command in indru_data.cli.commands, the documentation pages of both in
indru_data.cli.reference. `main` is the console entry point.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from indru_data.cli.commands import PROG
from indru_data.cli.parser import parser
from indru_data.core.descriptor import DescriptorError, UnknownTableError
from indru_data.core.files import WriteRefused
from indru_data.core.markup import printable

__all__ = ["PROG", "main", "parser"]


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed before the process ends."""
    raise SystemExit(128 + signum)


def _no_imports_from_the_working_directory() -> None:
    """`python -m indru_data.cli` puts the working directory first on the module path, and the
    commands import pandera, frictionless, pyarrow's parts and the rest lazily: a `pandera.py`
    in a stranger's checkout would run. It is taken off the path before any of that. (What
    `-m` imported before this line came from it already: `python -P -m` or the `indru-data`
    console script, which does not put it there, are the safe ways to run in such a folder.)"""
    from indru_data.core.module_path import outside_working_directory

    sys.path[:] = outside_working_directory(sys.path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in `argv`; None means the process's own arguments (sys.argv[1:]).

    The console script and `python -m indru_data.cli` call main() without arguments: the
    command is then the whole process, which ends when main returns, and only then may a
    command change the interpreter for good (validate's gc.freeze()). main([...]) called from
    Python (a test, a notebook) leaves its caller's process as it found it.
    """
    import signal
    import threading

    args = parser().parse_args(argv)
    args.own_process = argv is None
    if args.own_process:
        _no_imports_from_the_working_directory()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.func(args))
    except (UnknownTableError, DescriptorError) as exc:
        print(f"{PROG}: error: {printable(exc)}", file=sys.stderr)
        return 2
    except WriteRefused as exc:  # not written, as every other refusal of a writing command
        print(f"{PROG}: error: {printable(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)  # main() called from Python: put it back


if __name__ == "__main__":
    sys.exit(main())
