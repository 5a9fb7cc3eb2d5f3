"""Find the data package (inside an installed wheel, or in a source checkout) and read its descriptor.

Only the standard library is used here: reading the descriptor must stay cheap because
`import indru_data`, `load()` and `indru-data list` all start with it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from indru_data.core.descriptor_guards import (
    MAX_RESOURCES,
    DescriptorError,
    is_url,
    path_problem,
    read_json,
    remote_references,
    resource_reading_problem,
    short,
)
from indru_data.core.schema_guards import check_schema

DESCRIPTOR_NAME = "datapackage.json"


class UnknownTableError(KeyError):
    """A table name that the data package does not have."""

    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown table {self.name!r}{did_you_mean(self.name, self.choices)}; valid tables: {', '.join(self.choices)}"


def did_you_mean(given: str, choices: list[str]) -> str:
    """The closest choice to a misspelt name, as " (did you mean 'x'?)", or ""."""
    import difflib

    close = difflib.get_close_matches(str(given), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    def field_types(self) -> dict[str, str]:
        """Each column's Table Schema type, by name (row rules refuse arithmetic on text)."""
        return {f.name: f.type for f in self.fields}

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
        """Row and table rules beyond the Table Schema standard (see validation.row_rules)."""
        return list(self.schema.get("x-checks", []))

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")


# A table's name becomes a Python function (load_<name>), a SQLite table, a file name and a
# page address, so only lower-case identifiers are accepted (Frictionless allows more: `-`,
# `.` and `/`, none of which survive all four).
TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{1,63}")


def table_name_problem(name: str) -> str | None:
    """Why `name` cannot be a table's name, or None when it can."""
    if not TABLE_NAME.fullmatch(name) or keyword.iskeyword(name):
        return (
            "is not allowed: a table name is 2 to 64 lower-case letters, digits and "
            "underscores, starting with a letter, and not a Python keyword"
        )
    return None


class DataPackage:
    """The descriptor of a data package on disk, with its tables in descriptor order."""

    def __init__(self, descriptor_path: str | Path | None = None) -> None:
        path = Path(descriptor_path) if descriptor_path else packaged_descriptor_path()
        if path.is_dir():
            path = path / DESCRIPTOR_NAME
        self.path = path.resolve()
        self.root = self.path.parent
        self.descriptor = read_json(self.path, "data package descriptor")

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
            raise self._error(f"{what}: path must be a non-empty string, got {short(ref)}")
        problem = path_problem(ref)
        if problem:
            raise self._error(f"{what}: {problem}")
        if is_url(ref):
            raise self._error(
                f"{what}: {short(ref)} is a URL; only files inside the package folder are read"
            )
        rel = Path(ref)
        if rel.is_absolute() or ".." in rel.parts:
            raise self._error(f"{what}: {short(ref)} points outside the package folder")
        try:
            resolved = (self.root / rel).resolve()
        except (OSError, ValueError, RuntimeError) as exc:  # a loop of links, a name too long
            raise self._error(f"{what}: {short(ref)} cannot be looked up ({exc})") from None
        if not resolved.is_relative_to(self.root):
            raise self._error(
                f"{what}: {short(ref)} resolves outside the package folder ({resolved})"
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
            problem = table_name_problem(name)
            if problem:
                raise self._error(f"resource {i}: name {short(name)} {problem}")
            for key in ("title", "description"):
                if key in res and not isinstance(res[key], str):
                    raise self._error(f"table {name!r}: {key!r} must be a string")
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
            # Where the data is comes first (a path outside the folder is named as such), then
            # how it asks to be read.
            data_path = self._inside(res.get("path"), f"data of table {name!r}")
            reading = resource_reading_problem(res)
            if reading:
                raise self._error(f"table {name!r}: {reading}")
            schema_ref = res.get("schema")
            if isinstance(schema_ref, str):
                schema_path = self._inside(schema_ref, f"schema of table {name!r}")
                schema = read_json(schema_path, f"schema of table {name!r}")
                for problem in remote_references(schema):
                    raise DescriptorError(f"{schema_path}: table {name!r}: schema {problem}")
            elif schema_ref is None or isinstance(schema_ref, dict):
                schema_path = self.path
                schema = dict(schema_ref or {})
            else:
                raise self._error(f"table {name!r}: 'schema' must be a path or an object")
            check_schema(schema, f"{schema_path}: schema of table {name!r}")
            tables[name] = Table(
                name=name,
                title=res.get("title", name),
                description=res.get("description", ""),
                path=data_path,
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

    def edited_since_build(self, names: list[str] | None = None) -> list[str]:
        """The tables (of `names`, default all) whose CSV no longer has the sha256 hash that
        `indru-data build` recorded in the descriptor: their Parquet copy may be stale."""
        import hashlib

        recorded = {
            r.get("name"): r.get("hash")
            for r in self.descriptor.get("resources", [])
            if isinstance(r, dict)
        }
        stale = []
        for name in names or self.table_names:
            expected = recorded.get(name)
            path = self.table(name).path
            if not (isinstance(expected, str) and expected.startswith("sha256:")):
                continue  # never built: nothing recorded to compare with
            if not path.is_file():
                continue  # validation reports a missing file
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while block := handle.read(1024**2):
                    digest.update(block)
            if "sha256:" + digest.hexdigest() != expected:
                stale.append(name)
        return stale

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
