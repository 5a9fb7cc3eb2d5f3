"""`indru-data` commands in examples, each a fresh process forked from one that has imported
the heavy libraries once.

A shell example runs `indru-data ...` several times, and each process spends 1-2 s importing
pandas, pyarrow, pandera and Frictionless before doing anything. Here one server process
imports them (and indru_data with its CLI, but none of the modules that read settings from the
environment when imported: checked), then forks a child per command. The child gets the
command's arguments, working directory, environment and standard streams (passed as file
descriptors over a Unix socket, so a redirection such as `> report.json` is the child's own
stdout), runs `indru-data`'s `main()` as the console script does, and exits; its exit status
is the command's. So every command is still its own process with its own state, started from
the installed wheel, without paying the imports again.

    python forkserver.py SOCKET PREFIX   # serve (prints "ready" when listening); indru_data
                                         # must come from under PREFIX (the installed wheel)

`client_script(python, socket)` is the text of an `indru-data` executable that forwards to it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

# Imported once by the server; the children inherit them.
PRELOAD = (
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "pandera.pandas",
    "frictionless",
    "indru_data",
    "indru_data.cli",
)
# Modules that read INDRU_DATA_* settings when imported: a child must import them itself.
NOT_PRELOADED = "indru_data.validation"

CLIENT = """#!{python} -S
# indru-data, forwarded to a fork server (tests/forkserver.py): a fresh process per command.
import json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(600)  # a command that hangs fails its example instead of hanging the tests
s.connect({socket!r})
msg = json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}})
data = msg.encode()
socket.send_fds(s, [struct.pack("!I", len(data)) + data], [0, 1, 2])
status = b""
while len(status) < 4:
    chunk = s.recv(4 - len(status))
    if not chunk:
        sys.exit("indru-data (fork server): no exit status")
    status += chunk
sys.exit(struct.unpack("!i", status)[0])
"""


def client_script(python: str, path: str) -> str:
    return CLIENT.format(python=python, socket=path)


@contextlib.contextmanager
def serving(
    folder: Path, bin_dir: Path, package_prefix: str, env: dict[str, str] | None = None
) -> Iterator[None]:
    """A fork server run from a copy of this file in `folder` (so nothing else of the checkout
    is on its path), serving the indru_data under `package_prefix`, and an `indru-data` in
    `bin_dir` that forwards to it; the server is stopped at the end."""
    script = folder / "forkserver.py"
    shutil.copy(__file__, script)
    sock = socket_path(str(folder))
    with (folder / "forkserver.log").open("w") as log:  # not the test run's own stderr
        process = subprocess.Popen(
            [sys.executable, str(script), sock, package_prefix],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            process.wait(timeout=60)
            raise RuntimeError(
                "fork server did not start: " + (folder / "forkserver.log").read_text()
            )
        (bin_dir / "indru-data").write_text(client_script(sys.executable, sock))
        (bin_dir / "indru-data").chmod(0o755)
        yield
    finally:
        process.kill()
        process.wait()


def socket_path(folder: str) -> str:
    """A socket path in `folder`, or in a short new folder under /tmp when `folder` is too deep
    for a Unix socket's address (about 107 bytes on Linux)."""
    import tempfile

    path = os.path.join(folder, "indru-data.sock")
    if len(path.encode()) < 100:
        return path
    return os.path.join(tempfile.mkdtemp(prefix="ifs-", dir="/tmp"), "s.sock")


def _receive(conn: socket.socket) -> tuple[dict[str, object], list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    while len(data) < 4:
        data += conn.recv(4 - len(data))
    (size,) = struct.unpack("!I", data[:4])
    while len(data) < 4 + size:
        more = conn.recv(4 + size - len(data))
        if not more:
            raise ConnectionError("request cut short")
        data += more
    return json.loads(data[4 : 4 + size]), fds


def _exit_status(exc: SystemExit) -> int:
    """What the interpreter makes of `sys.exit(x)`: None is 0, an int itself, else 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _child(request: dict[str, object], fds: list[int]) -> int:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.chdir(str(request["cwd"]))
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[arg-type]
    sys.argv = ["indru-data", *request["argv"]]  # type: ignore[misc]
    try:
        from indru_data.cli import main

        sys.exit(main())  # as the console script does
    except SystemExit as exc:
        return _exit_status(exc)
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()


def serve(path: str, package_prefix: str) -> None:
    """Listen at `path`; indru_data must be imported from under `package_prefix`."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    assert not any(m.startswith(NOT_PRELOADED) for m in sys.modules), "preloaded too much"
    indru_data = sys.modules["indru_data"]
    assert str(indru_data.__file__).startswith(package_prefix), indru_data.__file__
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    server.settimeout(2)
    parent = os.getppid()
    print("ready", flush=True)
    while True:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            if os.getppid() != parent:
                return  # the test process is gone: so is the need for this one
            continue
        conn.settimeout(None)
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError) as exc:
            print(f"forkserver: bad request: {exc}", file=sys.stderr, flush=True)
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:
            server.close()
            conn.close()
            os._exit(_child(request, fds))
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        conn.sendall(struct.pack("!i", os.waitstatus_to_exitcode(status)))
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
