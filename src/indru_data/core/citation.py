"""How to cite indru-data: any released version, or the installed one, as plain text,
BibTeX, APA or CFF.

CITATION.cff lives beside datapackage.json (the repository root in a checkout,
`indru_data/_package/` in the wheel). Its `version` and `date-released` are written by
`indru-data build` and `indru-data release` from `src/indru_data/_version.py`, so the
citation, the descriptor, `__version__` and the CHANGELOG name one version (a test checks it).

A release is identified by its version, its date and the SHA-256 of its release zip, read from
releases/index.json beside it (written by `indru-data release`). A tree between releases
carries a development version (0.3.0.dev0): its citation says it is unreleased and names the
latest release. No URL is named unless CITATION.cff records one (`url`, `repository-code`):
the package is not on PyPI yet and the project records no public repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from indru_data.core.descriptor import DataPackage, DescriptorError, did_you_mean, packaged

CITATION_NAME = "CITATION.cff"
STYLES = ("text", "bibtex", "apa", "cff")
Style = Literal["text", "bibtex", "apa", "cff"]

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


class CitationError(ValueError):
    """An unknown citation style or version (a ValueError, with the valid choices)."""


@dataclass(frozen=True)
class Cited:
    """What a citation states about one version: released (with date and zip) or not."""

    version: str
    date: str | None  # YYYY-MM-DD of the release; None for an unreleased version
    zip: str | None
    zip_sha256: str | None
    latest: str | None  # the latest release, named in the citation of an unreleased version
    latest_date: str | None

    @property
    def released(self) -> bool:
        return self.date is not None

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None


def _records(citation: Path) -> dict[str, Any]:
    from indru_data.core.releases import RELEASES_DIR, read_release_index

    return read_release_index(citation.parent / RELEASES_DIR)


def resolve_version(version: str | None, *, path: str | Path | None = None) -> Cited:
    """The version a citation is for: a release in releases/index.json, or the version of
    CITATION.cff (the installed one); anything else raises CitationError."""
    from indru_data.core.releases import plain_version

    p = Path(path) if path is not None else citation_path()
    cff = read_citation(p)
    current = str(cff.get("version", ""))
    records = _records(p)
    latest = list(records.values())[-1] if records else None
    wanted = current if version is None else plain_version(str(version))
    if wanted in records:
        r = records[wanted]
        return Cited(r.version, r.date, r.zip, r.zip_sha256, None, None)
    if wanted != current:
        known = [*records, current]
        raise CitationError(
            f"unknown version {version!r}{did_you_mean(wanted, known)}; released: "
            f"{', '.join(records) or 'none'}; installed: {current}"
        )
    date = cff.get("date-released")  # a release not (yet) in the index: its CITATION.cff date
    return Cited(
        current,
        str(date) if date else None,
        None,
        None,
        latest.version if latest and not date else None,
        latest.date if latest and not date else None,
    )


def _urls(cff: dict[str, Any]) -> list[str]:
    """The URLs CITATION.cff records, none invented: `url`, then `repository-code`."""
    return [str(cff[k]) for k in ("url", "repository-code") if cff.get(k)]


def _identity(c: Cited) -> str:
    """The release zip's name and checksum, or why there is none."""
    if c.zip_sha256:
        return f"Release zip {c.zip}, SHA-256 {c.zip_sha256}."
    if c.released:
        return ""
    line = "Unreleased development version: no release date and no release zip."
    if c.latest:
        line += (
            f" The latest release is {c.latest} ({c.latest_date}): cite it if your work used "
            f'its data (cite(version="{c.latest}")).'
        )
    return line


def cite(
    style: Style = "text", version: str | None = None, *, path: str | Path | None = None
) -> str:
    """The citation of a version of indru-data (the installed one by default).

    style: "text" (a reference to paste, with the licences and the publishers' terms),
    "bibtex" (an @misc entry), "apa" (APA 7 reference for a data set) or "cff" (CITATION.cff,
    for another version with its date and the zip's checksum as an identifier).
    version: any released version ("0.1.0", "v0.2.0"), or the installed one. A release is
    identified by its version, date and the SHA-256 of its release zip.
    """
    if style not in STYLES:
        raise CitationError(
            f"unknown style {style!r}{did_you_mean(str(style), list(STYLES))}; "
            f"valid styles: {', '.join(STYLES)}"
        )
    p = Path(path) if path is not None else citation_path()
    cff = read_citation(p)
    c = resolve_version(version, path=p)
    if style == "cff":
        return _cff(p, cff, c)
    authors = _authors(cff)
    title = str(cff.get("title", "indru-data"))
    urls = _urls(cff)
    licences = cff.get("license", [])
    licences = [licences] if isinstance(licences, str) else list(licences)
    identity = _identity(c)
    if style == "bibtex":
        key = "indru_data_" + re.sub(r"\W", "_", c.version)
        note = "Data set"
        note += f"; version of {c.date}" if c.released else "; unreleased development version"
        if c.zip_sha256:
            note += f"; release zip {c.zip}, SHA-256 {c.zip_sha256}"
        note += "; licences: " + ", ".join(licences)
        fields = {
            "author": "{" + " and ".join(f"{{{a}}}" for a in authors) + "}",
            "title": f"{{{title}}}",
            "year": f"{{{c.year}}}" if c.year else None,
            "version": f"{{{c.version}}}",
            "howpublished": f"{{\\url{{{urls[0]}}}}}" if urls else None,
            "note": "{" + note + "}",
        }
        body = ",\n".join(f"  {k} = {v}" for k, v in fields.items() if v is not None)
        return f"@misc{{{key},\n{body}\n}}\n"
    if style == "apa":
        who = ", ".join(authors)
        when = f"({c.year})" if c.year else "(n.d.)"
        what = f"Version {c.version}" if c.released else f"Version {c.version}, unreleased"
        ref = f"{who}. {when}. {title} ({what}) [Data set]."
        if urls:
            ref += f" {urls[0]}"
        return "\n".join(line for line in (ref, identity) if line) + "\n"
    when = f" ({c.year})" if c.year else ""
    stated = f"version {c.version}"
    stated += f" of {c.date}" if c.released else " (unreleased)"
    ref = f"{', '.join(authors)}{when}. {title}, {stated} [Data set]."
    if urls:
        ref += f" {urls[0]}"
    message = " ".join(str(cff.get("message", "")).split())
    lines = [ref]
    if identity:
        lines.append(identity)
    lines.append(f"Licences: {', '.join(licences)}.")
    if message:
        lines.append(message)
    return "\n".join(lines) + "\n"


def _cff(p: Path, cff: dict[str, Any], c: Cited) -> str:
    """CITATION.cff for version `c`: the file itself for the installed version; otherwise with
    that version and date, and the zip's checksum as an identifier."""
    text = p.read_text(encoding="utf-8")
    if c.version == str(cff.get("version", "")) and not c.zip_sha256:
        return text
    text = with_version(text, c.version, c.date)
    if c.zip_sha256 and "identifiers:" not in text:
        text = text.rstrip("\n") + (
            "\nidentifiers:\n"
            "  - type: other\n"
            f'    value: "sha256:{c.zip_sha256}"\n'
            f'    description: "SHA-256 of the release zip {c.zip}"\n'
        )
    return text


def short_citation(version: str | None = None, *, path: str | Path | None = None) -> str:
    """One line: authors (year). title, version V [Data set]. — for df.attrs["citation"]."""
    return _short(str(Path(path) if path is not None else citation_path()), version)


@lru_cache(maxsize=16)
def _short(path: str, version: str | None) -> str:
    p = Path(path)
    cff = read_citation(p)
    current = str(cff.get("version", ""))
    version = version or current
    records = _records(p)
    if version in records:
        date: Any = records[version].date
    else:
        date = cff.get("date-released") if version == current else None
    when = f" ({str(date)[:4]})" if date else ""
    status = "" if date else " (unreleased)"
    ref = (
        f"{', '.join(_authors(cff))}{when}. {cff.get('title', 'indru-data')}, "
        f"version {version}{status} [Data set]."
    )
    urls = _urls(cff)
    return ref + (f" {urls[0]}" if urls else "")
