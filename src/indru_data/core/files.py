"""Writing files and folders atomically, confined, with the permissions the user's umask gives.

Every file indru-data writes (build, export, release, charts, new-table, the explorer's and
the site's folders) goes through here:

- Each write names the folder it belongs in (`inside`): the package folder, or the folder the
  user named. The target, and every folder above it, is resolved with symlinks followed, and
  a target that lands outside that folder is refused (WriteRefused) before anything is
  written. A package comes from anyone: a `docs` or `src/indru_data` that is a symlink must
  not carry a build's output elsewhere.

- The content is written to a temporary name beside the target (`.NAME.<pid>.XXXX.tmp`) and
  renamed into place only when complete, so an interrupted write leaves the previous file
  (or nothing) behind, never a half-written one.
- A temporary file or folder left by a process that was killed outright (SIGKILL, power
  loss) carries that process's id; the next write to the same target removes it once that
  process is gone. SIGTERM is turned into an exception by the CLI, so it cleans up at once.
- `tempfile` creates files 0600 and folders 0700; the result is given the mode an ordinary
  `open()` or `mkdir` would give (0666 / 0777 less the umask), so other users can read what
  a build or an export wrote exactly when they could read any other file of this user.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


class WriteRefused(Exception):
    """A write whose target, once symlinks are followed, lies outside the folder it belongs in."""


def confined(path: Path, inside: Path) -> Path:
    """`path` made absolute, once it is known to resolve inside `inside`; else WriteRefused.

    Resolving follows every symlink on the way, the last component's included, so a
    symlinked folder anywhere above the target and a symlinked target file are both caught.
    """
    base = Path(inside).resolve()
    target = Path(os.path.abspath(path))
    resolved = target.resolve()
    if not resolved.is_relative_to(base):
        raise WriteRefused(
            f"refusing to write {target}: it resolves to {resolved}, outside {base} "
            "(a symbolic link on the way?); nothing was written"
        )
    return target


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp")


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~current_umask()


def dir_mode() -> int:
    return 0o777 & ~current_umask()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(path: Path) -> list[Path]:
    """Remove temporary files/folders for `path` left by processes that no longer run."""
    removed = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.fullmatch(entry.name)
        if not match or match["name"] != path.name or _alive(int(match["pid"])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


def write_atomic(path: Path, write: Callable[[Path], object], *, inside: Path) -> None:
    """Call `write(tmp_path)` and move the result onto `path` only if it succeeded.

    `path` must resolve inside the folder `inside` (see confined()).
    """
    path = confined(path, inside)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_directory_atomic(path: Path, fill: Callable[[Path], object], *, inside: Path) -> None:
    """Call `fill(tmp_dir)` and move the folder onto `path` (replacing an existing folder).

    `path` must resolve inside the folder `inside` (see confined()).
    """
    path = confined(path, inside)
    remove_leftovers(path)
    tmp = Path(tempfile.mkdtemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        fill(tmp)
        mode = dir_mode()
        os.chmod(tmp, mode)
        for sub in tmp.rglob("*"):
            os.chmod(sub, mode if sub.is_dir() else file_mode())
        if path.exists():
            # Move the old folder aside first: a rename cannot replace a non-empty folder.
            old = Path(tempfile.mkdtemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent))
            os.replace(path, old / "old")
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "old").exists() and not path.exists():
            os.replace(old / "old", path)  # put the previous export back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
