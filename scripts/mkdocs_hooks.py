"""MkDocs hook: add the pages generated from the schemas and data (indru_data.outputs.site, plus the reference pages of indru_data.cli.reference).

Named in mkdocs.yml (`hooks:`). The pages are added in memory, so docs/ holds only
hand-written Markdown and the committed charts; nothing generated lands in git.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files

from indru_data.cli.reference import reference_pages
from indru_data.core.descriptor import packaged
from indru_data.outputs.site import site_pages

TABLES_SECTION = "Tables"
TABLES_INDEX = "tables/index.md"


def on_config(config: Any) -> Any:
    """One nav entry per table of the package, right after the tables overview."""
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and TABLES_SECTION in entry:
            section = entry[TABLES_SECTION]
            at = section.index(TABLES_INDEX) + 1
            pages = [{t.title: f"tables/{t.name}.md"} for t in packaged().tables.values()]
            section[at:at] = pages
    return config


def on_files(files: Files, config: Any) -> Files:
    for path, text in site_pages(references=reference_pages()).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=text))
    return files
