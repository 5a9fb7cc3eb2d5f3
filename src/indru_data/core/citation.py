"""How to cite the installed version: CITATION.cff, rendered as plain text, BibTeX or CFF.

CITATION.cff lives beside datapackage.json (the repository root in a checkout,
`indru_data/_package/` in the wheel). Its `version` and `date-released` are written by
`indru-data build` and `indru-data release` from `src/indru_data/_version.py`, so the
citation, the descriptor, `__version__` and the CHANGELOG name one version (a test checks it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from indru_data.core.descriptor import DataPackage, DescriptorError, packaged

CITATION_NAME = "CITATION.cff"
STYLES = ("text", "bibtex", "cff")
Style = Literal["text", "bibtex", "cff"]

_VERSION_LINE = re.compile(r"^version:.*$", re.MULTILINE)
_DATE_LINE = re.compile(r"^date-released:.*\n", re.MULTILINE)


def citation_path(package: DataPackage | None = None) -> Path:
    """CITATION.cff of a package (the shipped one by default)."""
    return (package or packaged()).root / CITATION_NAME


def read_citation(path: str | Path | None = None) -> dict[str, Any]:
    """CITATION.cff as a dict (YAML, read with PyYAML, which frictionless already requires)."""
    import yaml

    p = Path(path) if path is not None else citation_path()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DescriptorError(f"{CITATION_NAME} not found: {p}") from None
    if not isinstance(data, dict):
        raise DescriptorError(f"{p}: not a CITATION.cff mapping")
    return data


def with_version(text: str, version: str, date_released: str | None = None) -> str:
    """CITATION.cff text with its `version` set; `date-released` set, or dropped when None.

    Line-based so that comments and layout survive.
    """
    if not _VERSION_LINE.search(text):
        raise DescriptorError(f"{CITATION_NAME} has no `version:` line")
    text = _DATE_LINE.sub("", text)
    line = f"version: {version}"
    if date_released is not None:
        line += f'\ndate-released: "{date_released}"'
    return _VERSION_LINE.sub(line, text, count=1)


def _authors(cff: dict[str, Any]) -> list[str]:
    names = []
    for a in cff.get("authors", []):
        if "name" in a:
            names.append(str(a["name"]))
        else:
            names.append(" ".join(str(a[k]) for k in ("given-names", "family-names") if k in a))
    return names


def cite(style: Style = "text", *, path: str | Path | None = None) -> str:
    """The citation of the installed version of indru-data.

    style: "text" (a reference to paste, with the licences and the publishers' terms),
    "bibtex" (an @misc entry) or "cff" (CITATION.cff itself).
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; valid styles: {', '.join(STYLES)}")
    p = Path(path) if path is not None else citation_path()
    if style == "cff":
        return p.read_text(encoding="utf-8")
    cff = read_citation(p)
    version = str(cff.get("version", ""))
    date = cff.get("date-released")
    year = str(date)[:4] if date else None
    authors = _authors(cff)
    title = str(cff.get("title", "indru-data"))
    url = cff.get("url", "")
    licences = cff.get("license", [])
    licences = [licences] if isinstance(licences, str) else list(licences)
    if style == "bibtex":
        key = "indru_data_" + re.sub(r"\W", "_", version)
        fields = {
            "author": "{" + " and ".join(f"{{{a}}}" for a in authors) + "}",
            "title": f"{{{title}}}",
            "year": f"{{{year}}}" if year else None,
            "version": f"{{{version}}}",
            "howpublished": f"{{\\url{{{url}}}}}" if url else None,
            "note": "{Data set; licences: " + ", ".join(licences) + "}",
        }
        body = ",\n".join(f"  {k} = {v}" for k, v in fields.items() if v is not None)
        return f"@misc{{{key},\n{body}\n}}\n"
    when = f" ({year})" if year else " (unreleased)"
    ref = f"{', '.join(authors)}{when}. {title}, version {version} [Data set]."
    if url:
        ref += f" {url}"
    message = " ".join(str(cff.get("message", "")).split())
    lines = [ref, f"Licences: {', '.join(licences)}."]
    if message:
        lines.append(message)
    return "\n".join(lines) + "\n"


def short_citation(version: str | None = None, *, path: str | Path | None = None) -> str:
    """One line: authors (year). title, version V [Data set]. url — for df.attrs["citation"]."""
    return _short(str(Path(path) if path is not None else citation_path()), version)


@lru_cache(maxsize=16)
def _short(path: str, version: str | None) -> str:
    cff = read_citation(path)
    released = str(cff.get("version", ""))
    version = version or released
    date = cff.get("date-released") if version == released else None
    when = f" ({str(date)[:4]})" if date else ""
    ref = f"{', '.join(_authors(cff))}{when}. {cff.get('title', 'indru-data')}, version {version} [Data set]."
    return ref + (f" {cff['url']}" if cff.get("url") else "")
