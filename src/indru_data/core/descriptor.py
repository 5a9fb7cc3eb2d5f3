"""Find the data package (inside an installed wheel, or in a source checkout) and read its descriptor.

Only the standard library is used here: reading the descriptor must stay cheap because
`import indru_data`, `load()` and `indru-data list` all start with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

DESCRIPTOR_NAME = "datapackage.json"
# Table Schema field types this package reads; anything else is refused with a clear message.
FIELD_TYPES = frozenset({"string", "integer", "number", "boolean", "date", "year"})

# Limits on a descriptor, checked before any heavy work (docs/validation.md, "Limits"). A
# descriptor comes from anyone's fork: without them a 1 GB file is read whole, 100,000 nested
# lists overflow the parser's stack and 10,000 resources keep Frictionless busy for minutes.
# The shipped package uses a small fraction of each (about 20 KB, depth 5, 17 tables, 18 fields).
MAX_DESCRIPTOR_BYTES = 5 * 1024**2  # datapackage.json and each schema file
MAX_DEPTH = 32  # nested objects and lists
MAX_RESOURCES = 200
MAX_FIELDS = 500  # per schema

# A reference with a scheme (http:, file:, data:, ...) or a network path (//host/...).
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")
# Profiles are named ("data-package", "tabular-data-resource"); a `$schema` may also be a
# datapackage.org standard profile, which Frictionless knows without fetching it.
_PROFILE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_STANDARD_PROFILE = re.compile(r"^https://datapackage\.org/profiles/[0-9]+\.[0-9]+/[a-z-]+\.json$")


class DescriptorError(Exception):
    """The data package descriptor or a schema it names cannot be found or read."""


class UnknownTableError(KeyError):
    """A table name that the data package does not have."""

    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown table {self.name!r}; valid tables: {', '.join(self.choices)}"


def packaged_descriptor_path() -> Path:
    """Path of the datapackage.json shipped with the package.

    An installed wheel carries the package under `indru_data/_package/`; a source checkout
    (editable install or tests run from the repository) has it at the repository root.
    """
    shipped = resources.files("indru_data").joinpath("_package", DESCRIPTOR_NAME)
    if shipped.is_file():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parents[3] / DESCRIPTOR_NAME
    if checkout.is_file():
        return checkout
    raise DescriptorError(
        f"no {DESCRIPTOR_NAME} found in the installed package ({shipped}) or the checkout ({checkout})"
    )


def _read_json(path: Path, what: str) -> dict[str, Any]:
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
            said = f"property {here!r} = {_short(v)}"
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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Field:
    """One column as the Table Schema defines it."""

    name: str
    type: str
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None
    format: str | None = None
    enum_descriptions: dict[str, str] = field(default_factory=dict)
    list_separator: str | None = None  # a column holding several vocabulary values

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> Field:
        # DataPackage.tables has checked the shape: a dict with a string name.
        return cls(
            name=d["name"],
            type=d.get("type", "string"),
            description=d.get("description", ""),
            constraints=dict(d.get("constraints", {})),
            unit=d.get("x-unit"),
            format=d.get("format"),
            enum_descriptions=dict(d.get("x-enumDescriptions", {})),
            list_separator=d.get("x-listSeparator"),
        )


@dataclass(frozen=True)
class Table:
    """One resource of the data package with its schema."""

    name: str
    title: str
    description: str
    path: Path
    schema_path: Path
    schema: dict[str, Any]
    parquet_path: Path

    @cached_property
    def fields(self) -> list[Field]:
        return [Field.from_descriptor(f) for f in self.schema.get("fields", [])]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        return list(self.schema.get("foreignKeys", []))

    @property
    def foreign_key_lists(self) -> list[dict[str, Any]]:
        """Columns holding several keys of another table, e.g. corroborating sources.

        Table Schema foreign keys cannot express "a;b;c"; these are checked by our own code.
        Each entry: {"field", "separator", "reference": {"resource", "field"}}.
        """
        return list(self.schema.get("x-foreignKeyLists", []))

    @property
    def grain(self) -> str:
        return self.schema.get("x-grain", "")

    @property
    def observation_key(self):  # type: ignore[no-untyped-def]
        """The columns naming one observation (see `preferred`), or None when every row is one."""
        from indru_data.core.preferred import ObservationKey

        return ObservationKey.of(self.schema)

    @property
    def checks(self) -> list[dict[str, Any]]:
        """Row and table rules beyond the Table Schema standard (see validation.rules)."""
        return list(self.schema.get("x-checks", []))

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")


def _names_ok(value: Any) -> bool:
    """A Table Schema key: one field name or a list of them."""
    return isinstance(value, str) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _check_schema(schema: dict[str, Any], where: str) -> None:
    """Refuse a schema whose shape the code cannot rely on, naming the field or key at fault."""

    def fail(message: str) -> DescriptorError:
        return DescriptorError(f"{where}: {message}")

    fields = schema.get("fields", [])
    if not isinstance(fields, list):
        raise fail("'fields' must be a list")
    if len(fields) > MAX_FIELDS:
        raise fail(f"{len(fields)} fields, more than the limit of {MAX_FIELDS}")
    seen: set[str] = set()
    for i, f in enumerate(fields):
        if not isinstance(f, dict):
            raise fail(f"field {i + 1} must be an object, got {_short(f)}")
        name = f.get("name")
        if not isinstance(name, str) or not name:
            raise fail(f"field {i + 1} has no 'name' (got {_short(f)})")
        if name in seen:
            raise fail(f"field {i + 1}: two fields are named {name!r}")
        seen.add(name)
        if f.get("type", "string") not in FIELD_TYPES:
            raise fail(
                f"field {name!r} has unknown type {_short(f.get('type'))}; "
                f"known types: {', '.join(sorted(FIELD_TYPES))}"
            )
        for key in ("constraints", "x-enumDescriptions"):
            if not isinstance(f.get(key, {}), dict):
                raise fail(f"field {name!r}: {key!r} must be an object")
    pk = schema.get("primaryKey", [])
    if pk != [] and not _names_ok(pk):
        raise fail("'primaryKey' must be a field name or a list of them")
    for key in ("foreignKeys", "x-foreignKeyLists", "x-childCounts", "x-checks"):
        if not isinstance(schema.get(key, []), list):
            raise fail(f"{key!r} must be a list")
    for i, fk in enumerate(schema.get("foreignKeys", [])):
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not (
            isinstance(ref, dict)
            and _names_ok(fk.get("fields"))
            and _names_ok(ref.get("fields"))
            and isinstance(ref.get("resource", ""), str)
        ):
            raise fail(
                f"foreign key {i + 1} needs 'fields' and a 'reference' with 'resource' and 'fields'"
            )
    for i, spec in enumerate(schema.get("x-foreignKeyLists", [])):
        ref = spec.get("reference") if isinstance(spec, dict) else None
        if not (
            isinstance(ref, dict)
            and isinstance(spec.get("field"), str)
            and isinstance(ref.get("resource"), str)
            and isinstance(ref.get("field"), str)
        ):
            raise fail(
                f"x-foreignKeyLists entry {i + 1} needs 'field' and a 'reference' with "
                "'resource' and 'field'"
            )
    for i, spec in enumerate(schema.get("x-childCounts", [])):
        if not isinstance(spec, dict) or not all(
            isinstance(spec.get(k), str) for k in ("child", "child_field", "count_field")
        ):
            raise fail(
                f"x-childCounts entry {i + 1} needs 'child', 'child_field' and 'count_field'"
            )


class DataPackage:
    """The descriptor of a data package on disk, with its tables in descriptor order."""

    def __init__(self, descriptor_path: str | Path | None = None) -> None:
        path = Path(descriptor_path) if descriptor_path else packaged_descriptor_path()
        if path.is_dir():
            path = path / DESCRIPTOR_NAME
        self.path = path.resolve()
        self.root = self.path.parent
        self.descriptor = _read_json(self.path, "data package descriptor")

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def _inside(self, ref: object, what: str) -> Path:
        """Resolve a path the descriptor gives, refusing anything outside the package folder.

        A descriptor is input from anyone (a fork, a download): an absolute path, `..`, a
        symlink pointing elsewhere or a URL must never make us read outside the folder or
        touch the network.
        """
        if not isinstance(ref, str) or not ref:
            raise self._error(f"{what}: path must be a non-empty string, got {_short(ref)}")
        if is_url(ref):
            raise self._error(
                f"{what}: {_short(ref)} is a URL; only files inside the package folder are read"
            )
        rel = Path(ref)
        if rel.is_absolute() or ".." in rel.parts:
            raise self._error(f"{what}: {_short(ref)} points outside the package folder")
        resolved = (self.root / rel).resolve()
        if not resolved.is_relative_to(self.root):
            raise self._error(
                f"{what}: {_short(ref)} resolves outside the package folder ({resolved})"
            )
        return resolved

    def _error(self, message: str) -> DescriptorError:
        return DescriptorError(f"{self.path}: {message}")

    @cached_property
    def tables(self) -> dict[str, Table]:
        """The tables, after the descriptor and every schema passed the safety checks.

        Everything here is cheap and happens before any data file is read and before
        Frictionless sees the descriptor: limits, names, remote references, paths and the
        shape of each schema (so later code can index it without a KeyError).
        """
        resources = self.descriptor.get("resources", [])
        if not isinstance(resources, list):
            raise self._error("'resources' must be a list")
        if len(resources) > MAX_RESOURCES:
            raise self._error(f"{len(resources)} resources, more than the limit of {MAX_RESOURCES}")
        first: dict[str, int] = {}
        for i, res in enumerate(resources):
            if not isinstance(res, dict) or not isinstance(res.get("name"), str):
                raise self._error(f"resource {i} needs a 'name'")
            name = res["name"]
            if name in first:
                raise self._error(
                    f"resources {first[name]} and {i} are both named {name!r}; "
                    "resource names must be unique"
                )
            first[name] = i
        package_level = {k: v for k, v in self.descriptor.items() if k != "resources"}
        for problem in remote_references(package_level):
            raise self._error(f"package {problem}")
        tables: dict[str, Table] = {}
        for res in resources:
            name = res["name"]
            for problem in remote_references(res):
                raise self._error(f"table {name!r}: {problem}")
            if isinstance(res.get("dialect"), str):
                # Frictionless would read it; refuse what points outside with the table named.
                self._inside(res["dialect"], f"dialect of table {name!r}")
            schema_ref = res.get("schema")
            if isinstance(schema_ref, str):
                schema_path = self._inside(schema_ref, f"schema of table {name!r}")
                schema = _read_json(schema_path, f"schema of table {name!r}")
                for problem in remote_references(schema):
                    raise DescriptorError(f"{schema_path}: table {name!r}: schema {problem}")
            elif schema_ref is None or isinstance(schema_ref, dict):
                schema_path = self.path
                schema = dict(schema_ref or {})
            else:
                raise self._error(f"table {name!r}: 'schema' must be a path or an object")
            _check_schema(schema, f"{schema_path}: schema of table {name!r}")
            tables[name] = Table(
                name=name,
                title=res.get("title", name),
                description=res.get("description", ""),
                path=self._inside(res.get("path"), f"data of table {name!r}"),
                schema_path=schema_path,
                schema=schema,
                parquet_path=self._inside(
                    res.get("x-parquet", f"data/parquet/{name}.parquet"),
                    f"Parquet of table {name!r}",
                ),
            )
        return tables

    @property
    def table_names(self) -> list[str]:
        return list(self.tables)

    def table(self, name: str) -> Table:
        try:
            return self.tables[name]
        except KeyError:
            raise UnknownTableError(name, self.table_names) from None


_packaged: DataPackage | None = None


def packaged() -> DataPackage:
    """The data package shipped with indru-data (read once per process)."""
    global _packaged
    if _packaged is None:
        _packaged = DataPackage()
    return _packaged
