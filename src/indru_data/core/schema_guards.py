"""Reading a schema that may come from anyone: its shape, and only what validation checks.

A schema is refused, with the field or key named, when the code could not rely on its shape
(`fields` not a list, a key naming no field) or when it asks for something validation does not
check (a type, format, field option or constraint outside the lists below), which would
otherwise pass unchecked. Only the standard library is used.
"""

from __future__ import annotations

from typing import Any

from indru_data.core.descriptor_guards import (
    MAX_CHECKS,
    MAX_FIELDS,
    MAX_FOREIGN_KEYS,
    DescriptorError,
    short,
)

# What a schema may ask of the reader. Validation reads every cell itself (Arrow, then pandas
# and Pandera) and covers these types, formats, field options and constraints, and no others:
# a schema that asks for more is refused with a clear message rather than checked in part.
# This package writes its own schemas; Frictionless checks only the descriptor's profile.
FIELD_TYPES = frozenset({"string", "integer", "number", "boolean", "date"})
FIELD_FORMATS = {"string": frozenset({"default", "uri"})}  # other types: "default" only
FIELD_KEYS = frozenset(
    {"name", "type", "format", "title", "description", "constraints", "example", "rdfType"}
)
FIELD_CONSTRAINTS = {
    "string": frozenset({"required", "unique", "pattern", "enum", "minLength", "maxLength"}),
    "integer": frozenset({"required", "unique", "minimum", "maximum"}),
    "number": frozenset({"required", "unique", "minimum", "maximum"}),
    "date": frozenset({"required", "unique", "minimum", "maximum"}),
    "boolean": frozenset({"required", "unique"}),
}
SCHEMA_KEYS = frozenset(
    {
        "fields",
        "primaryKey",
        "foreignKeys",
        "missingValues",
        "$schema",
        "name",
        "title",
        "description",
    }
)


def _names_ok(value: Any) -> bool:
    """A Table Schema key: one field name or a list of them."""
    return isinstance(value, str) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    )


def check_schema(schema: dict[str, Any], where: str) -> None:
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
            raise fail(f"field {i + 1} must be an object, got {short(f)}")
        name = f.get("name")
        if not isinstance(name, str) or not name:
            raise fail(f"field {i + 1} has no 'name' (got {short(f)})")
        if name in seen:
            raise fail(f"field {i + 1}: two fields are named {name!r}")
        seen.add(name)
        if f.get("type", "string") not in FIELD_TYPES:
            raise fail(
                f"field {name!r} has unknown type {short(f.get('type'))}; "
                f"known types: {', '.join(sorted(FIELD_TYPES))}"
            )
        for key in ("constraints", "x-enumDescriptions"):
            if not isinstance(f.get(key, {}), dict):
                raise fail(f"field {name!r}: {key!r} must be an object")
        problem = _field_problem(f)
        if problem:
            raise fail(f"field {name!r}: {problem}")
    unknown = sorted(k for k in schema if k not in SCHEMA_KEYS and not k.startswith("x-"))
    if unknown:
        raise fail(
            f"{unknown[0]!r} is not supported; a schema may have {', '.join(sorted(SCHEMA_KEYS))}"
        )
    if schema.get("missingValues", [""]) != [""]:
        raise fail("'missingValues' must be [\"\"]: only an empty cell is missing")
    pk = schema.get("primaryKey", [])
    if pk != [] and not _names_ok(pk):
        raise fail("'primaryKey' must be a field name or a list of them")
    for key in ("foreignKeys", "x-foreignKeyLists", "x-childCounts", "x-checks"):
        if not isinstance(schema.get(key, []), list):
            raise fail(f"{key!r} must be a list")
    for keys, limit, what in (
        (("foreignKeys", "x-foreignKeyLists"), MAX_FOREIGN_KEYS, "foreign keys"),
        (("x-checks", "x-childCounts"), MAX_CHECKS, "rules"),
    ):
        count = sum(len(schema.get(k, [])) for k in keys)
        if count > limit:
            raise fail(f"{count:,} {what} ({' and '.join(keys)}), more than the limit of {limit}")
    for i, fk in enumerate(schema.get("foreignKeys", [])):
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if isinstance(ref, dict) and "package" in ref:
            raise fail(
                f"foreign key {i + 1}: 'reference.package' is not allowed; a foreign key "
                "refers to a table of the same package"
            )
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


def _field_problem(f: dict[str, Any]) -> str | None:
    """What a field asks that validation does not check (so it would pass unchecked), or None."""
    kind = f.get("type", "string")
    fmt = f.get("format", "default")
    if fmt not in FIELD_FORMATS.get(kind, frozenset({"default"})):
        return f"format {short(fmt)} is not supported for type {kind!r}"
    unknown = sorted(k for k in f if k not in FIELD_KEYS and not k.startswith("x-"))
    if unknown:
        return f"{unknown[0]!r} is not supported (it changes how cells are read)"
    extra = sorted(set(f.get("constraints", {})) - FIELD_CONSTRAINTS[kind])
    if extra:
        return f"constraint {extra[0]!r} is not supported for type {kind!r}"
    return None
