"""Reading a descriptor or schema that may come from anyone: limits, JSON, remote references.

`indru-data validate PATH` runs on strangers' files, so everything here refuses before it
does heavy work: a file's size before reading it, nesting depth before walking it, any
reference to a URL or a remote profile before Frictionless could fetch it. Every refusal is
a DescriptorError naming the file and the rule. Only the standard library is used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# Limits on a descriptor, checked before any heavy work (docs/validation.md, "Limits"). A
# descriptor comes from anyone's fork: without them a 1 GB file is read whole, 100,000 nested
# lists overflow the parser's stack and 10,000 resources keep Frictionless busy for minutes.
# The shipped package uses a small fraction of each (about 20 KB, depth 5, 17 tables, 18 fields).
MAX_DESCRIPTOR_BYTES = 5 * 1024**2  # datapackage.json and each schema file


MAX_DEPTH = 32  # nested objects and lists


MAX_RESOURCES = 200


MAX_FIELDS = 500  # per schema


# Keys and rules cost a pass over the data each: 20,000 foreign keys took 17.7 s and 9,000 row
# rules 39 s before these limits. The shipped schemas use at most 2 and 11.
MAX_FOREIGN_KEYS = 50  # foreignKeys and x-foreignKeyLists, per schema


MAX_CHECKS = 100  # x-checks and x-childCounts, per schema


# A reference with a scheme (http:, file:, data:, ...) or a network path (//host/...).
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")


# Profiles are named ("data-package", "tabular-data-resource"); a `$schema` may also be a
# datapackage.org standard profile, which Frictionless knows without fetching it.
_PROFILE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


_STANDARD_PROFILE = re.compile(r"^https://datapackage\.org/profiles/[0-9]+\.[0-9]+/[a-z-]+\.json$")


class DescriptorError(Exception):
    """The data package descriptor or a schema it names cannot be found or read."""


# What a resource may ask of its reader. Only CSV files on the local filesystem are read;
# anything else would reach a Frictionless loader or parser we never meant to run (`scheme:
# "s3"` its S3 loader, `"https"` its remote loader, `format: "sql"` its SQL parser, a
# `compression` its decompressor), so it is refused before Frictionless is called.
ALLOWED_SCHEMES = frozenset({"file"})
ALLOWED_FORMATS = frozenset({"csv"})
ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "utf-8-sig"})
ALLOWED_MEDIATYPES = frozenset({"text/csv"})
# Properties that name another way of reading, refused whatever their value.
REFUSED_RESOURCE_KEYS = ("compression", "innerpath", "data", "extrapaths")
# Every other property a resource may have (x-* are ours); the rest change how Frictionless
# would read a file (layout, control, ...), which this package's reader does not do.
RESOURCE_KEYS = frozenset(
    {
        "name",
        "type",
        "title",
        "description",
        "path",
        "format",
        "mediatype",
        "encoding",
        "bytes",
        "hash",
        "dialect",
        "schema",
        "profile",
        "$schema",
        "licenses",
        "sources",
        "homepage",
        "keywords",
        "scheme",
    }
)
# The CSV dialect read: Python's and Arrow's default; `indru-data build` states it.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False}
HASH_ALGORITHMS = ("md5", "sha256")  # "md5" when a hash names none
MAX_PATH_CHARS = 1_024  # a path in the descriptor; a file name is at most 255 bytes anyway


def resource_reading_problem(res: dict[str, Any]) -> str | None:
    """Why a resource asks to be read in a way we do not allow, or None."""

    def allowed(key: str, values: frozenset[str]) -> str | None:
        value = res.get(key)
        if value is None or (isinstance(value, str) and value.lower() in values):
            return None
        return f"{key!r} = {short(value)} is not allowed; only {', '.join(sorted(values))}"

    for key, values in (
        ("scheme", ALLOWED_SCHEMES),
        ("format", ALLOWED_FORMATS),
        ("encoding", ALLOWED_ENCODINGS),
        ("mediatype", ALLOWED_MEDIATYPES),
    ):
        problem = allowed(key, values)
        if problem:
            return problem
    for key in REFUSED_RESOURCE_KEYS:
        if key in res:
            return f"{key!r} is not allowed: only plain CSV files in the package folder are read"
    unknown = sorted(k for k in res if k not in RESOURCE_KEYS and not k.startswith("x-"))
    if unknown:
        return f"{unknown[0]!r} is not supported; a resource may have {', '.join(sorted(RESOURCE_KEYS))}"
    path = res.get("path")
    if isinstance(path, str) and not path.lower().endswith(".csv"):
        return f"'path' = {short(path)} is not a .csv file; only CSV files are read"
    return _dialect_problem(res.get("dialect", {})) or _hash_problem(res.get("hash"))


def _dialect_problem(dialect: Any) -> str | None:
    if not isinstance(dialect, dict):
        return "'dialect' must be an object; only the default CSV dialect is read"
    for key, value in dialect.items():
        if key == "header" and value is True:
            continue
        if key == "lineTerminator" and value in ("\n", "\r\n"):  # the reader ignores it
            continue
        if DIALECT.get(key, object()) != value:
            return (
                f"dialect {key!r} = {short(value)} is not supported; only the default CSV "
                "dialect is read (comma, double quote, a header row)"
            )
    return None


def _hash_problem(value: Any) -> str | None:
    if value is None:
        return None
    algorithm = value.split(":", 1)[0] if isinstance(value, str) and ":" in value else "md5"
    if not isinstance(value, str) or algorithm not in HASH_ALGORITHMS:
        return f"'hash' = {short(value)} is not an md5 or sha256 hash"
    return None


def path_problem(ref: str) -> str | None:
    """Why a path from a descriptor cannot even be looked up, or None."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in ref):
        return f"{short(ref)} holds a control character (such as a NUL byte)"
    if len(ref) > MAX_PATH_CHARS:
        return f"the path has {len(ref):,} characters, more than the limit of {MAX_PATH_CHARS:,}"
    if any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in ref.split("/")):
        return "a part of the path is longer than 255 bytes, which no file name can be"
    return None


def read_json(path: Path, what: str) -> dict[str, Any]:
    """Read a JSON object from a descriptor file, refusing anything that could hurt first.

    Every way this can go wrong is a DescriptorError naming the file, never a traceback:
    the size is checked before reading (and at most the limit is read, should the file grow),
    bytes that are not UTF-8 and nesting deeper than MAX_DEPTH are refused.
    """
    try:
        if not path.is_file():
            if path.exists():
                raise DescriptorError(f"{what} is not a regular file: {path}")
            raise DescriptorError(f"{what} not found: {path}")
        size = path.stat().st_size
        if size > MAX_DESCRIPTOR_BYTES:
            raise DescriptorError(
                f"{what} has {size} bytes, more than the limit of {MAX_DESCRIPTOR_BYTES}: {path}"
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_DESCRIPTOR_BYTES + 1)
    except PermissionError:
        raise DescriptorError(f"{what} cannot be read (permission denied): {path}") from None
    except OSError as exc:
        raise DescriptorError(f"{what} cannot be read ({exc.strerror or exc}): {path}") from None
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise DescriptorError(
            f"{what} is larger than the limit of {MAX_DESCRIPTOR_BYTES} bytes: {path}"
        )
    if raw.startswith(b"PK\x03\x04"):
        raise DescriptorError(
            f"{what} is a zip archive, which is not validated: {path}; "
            "unzip it and give the datapackage.json inside"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DescriptorError(
            f"{what} is not UTF-8 text: {path}: byte {raw[exc.start]:#04x} at offset "
            f"{exc.start} (line {line}); save it as UTF-8"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DescriptorError(f"{what} is not valid JSON: {path}: {exc}") from None
    except RecursionError:
        raise DescriptorError(
            f"{what} is nested too deeply (more than {MAX_DEPTH} levels): {path}"
        ) from None
    if not isinstance(data, dict):
        raise DescriptorError(f"{what} must be a JSON object: {path}")
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise DescriptorError(
            f"{what} is nested {depth} levels deep, more than the limit of {MAX_DEPTH}: {path}"
        )
    return data


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion (the parser allows about 1,000 levels)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level  # enough to refuse it
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def is_url(ref: str) -> bool:
    """True for anything that names another place than a file of the package: http:, file:, //host."""
    return bool(_URL.match(ref))


def remote_references(value: Any) -> list[str]:
    """Every property of a descriptor or schema that would make a reader fetch something.

    Frictionless follows a `profile` or `$schema` URL, a `dialect` or `schema` given as a
    URL, a `$ref` and a remote `path`; validation must never open a connection, so these
    are found (and refused by the caller) before Frictionless sees the descriptor. Metadata
    that only names a place (homepage, a licence's or source's `path`) is not followed and is
    allowed. Each finding is "property 'a.b[2].c' = value: why".
    """
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, place = stack.pop()
        if isinstance(item, list):
            stack.extend((v, f"{place}[{i}]") for i, v in enumerate(item))
            continue
        if not isinstance(item, dict):
            continue
        for key, v in item.items():
            here = f"{place}.{key}" if place else str(key)
            said = f"property {here!r} = {short(v)}"
            if key == "$ref":
                found.append(f"{said}: references ($ref) are never followed")
            elif key == "profile" and not (isinstance(v, str) and _PROFILE_NAME.match(v)):
                found.append(
                    f"{said}: only a named profile (e.g. 'data-package') is allowed, "
                    "never a URL or a file"
                )
            elif key == "$schema" and not (
                isinstance(v, str) and (_STANDARD_PROFILE.match(v) or _PROFILE_NAME.match(v))
            ):
                found.append(f"{said}: only a datapackage.org standard profile is allowed")
            elif key in ("dialect", "schema", "path") and isinstance(v, str) and is_url(v):
                if place.startswith(("licenses", "sources", "contributors")):
                    continue  # metadata: names a page, nothing reads it
                found.append(f"{said} is a URL; only files inside the package folder are read")
            else:
                stack.append((v, here))
    return found


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
