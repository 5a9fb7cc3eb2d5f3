"""Find the data package (inside an installed wheel, or in a source checkout) and read its descriptor.

Only the standard library is used here: reading the descriptor must stay cheap because
`import indru_data`, `load()` and `indru-data list` all start with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

DESCRIPTOR_NAME = "datapackage.json"
# Table Schema field types this package reads; anything else is refused with a clear message.
FIELD_TYPES = frozenset({"string", "integer", "number", "boolean", "date", "year"})


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
    checkout = Path(__file__).resolve().parents[2] / DESCRIPTOR_NAME
    if checkout.is_file():
        return checkout
    raise DescriptorError(
        f"no {DESCRIPTOR_NAME} found in the installed package ({shipped}) or the checkout ({checkout})"
    )


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise DescriptorError(f"{what} not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise DescriptorError(f"{what} is not valid JSON: {path}: {exc}") from None
    if not isinstance(data, dict):
        raise DescriptorError(f"{what} must be a JSON object: {path}")
    return data


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
        from .preferred import ObservationKey

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
            raise DescriptorError(f"{what}: path must be a non-empty string, got {ref!r}")
        if "://" in ref or ref.startswith(("//", "\\\\")):
            raise DescriptorError(
                f"{what}: {ref!r} is a URL; only files inside the package folder are read"
            )
        rel = Path(ref)
        if rel.is_absolute() or ".." in rel.parts:
            raise DescriptorError(f"{what}: {ref!r} points outside the package folder")
        resolved = (self.root / rel).resolve()
        if not resolved.is_relative_to(self.root):
            raise DescriptorError(
                f"{what}: {ref!r} resolves outside the package folder ({resolved})"
            )
        return resolved

    @cached_property
    def tables(self) -> dict[str, Table]:
        resources = self.descriptor.get("resources", [])
        if not isinstance(resources, list):
            raise DescriptorError(f"{self.path}: 'resources' must be a list")
        tables: dict[str, Table] = {}
        for i, res in enumerate(resources):
            if not isinstance(res, dict) or not isinstance(res.get("name"), str):
                raise DescriptorError(f"{self.path}: resource {i} needs a 'name'")
            name = res["name"]
            schema_ref = res.get("schema")
            if isinstance(schema_ref, str):
                schema_path = self._inside(schema_ref, f"schema of table {name!r}")
                schema = _read_json(schema_path, f"schema of table {name!r}")
            else:
                schema_path = self.path
                schema = dict(schema_ref or {})
            for f in schema.get("fields", []):
                if f.get("type", "string") not in FIELD_TYPES:
                    raise DescriptorError(
                        f"schema of table {name!r}: field {f.get('name')!r} has unknown type "
                        f"{f.get('type')!r}; known types: {', '.join(sorted(FIELD_TYPES))}"
                    )
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
