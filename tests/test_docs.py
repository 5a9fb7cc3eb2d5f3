"""Every Python and shell example in README.md and docs/*.md runs as written, after a plain
install of the wheel, from a directory outside the checkout.

- The wheel is built and installed into a folder of its own (no checkout on the path).
- A file's ```python blocks run in order in one interpreter, like a notebook, from an empty
  temporary directory. Each ```bash block runs with `bash -e` from such a directory.
- A ```bash block runs in this process, a command at a time: the line is split as the shell
  splits it and each `indru-data` command is `main()` (tests/conftest.py `cli`), from an empty
  temporary directory; `> FILE` writes its output there. `pip install indru-data…` is the install
  already made; `python -c CODE` runs CODE here. Anything else in a shell example is refused.
  One real process of the console script, from the installed wheel, is started below.
- A block preceded by `<!-- example: checkout -->` is a step for a checkout of indru-data
  (building, releasing, running the tests) and is not run; one preceded by
  `<!-- example: fork -->` runs in a folder holding a copy of the data package; one preceded
  by `<!-- example: server -->` starts a long-running server (the explorer, the docs site)
  and is not run here: the browser tests start and check those servers.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, cli, copy_package

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!--\s*example:\s*(\w+)\s*-->\s*$")
RUN = ("python", "bash", "sh", "shell")
# Checkout steps are not run; keep them few and deliberate.
MAX_CHECKOUT_BLOCKS = 4

PIP_SHIM = """#!/bin/sh
# Examples run after a plain install: `pip install indru-data[...]` is already done.
case "$1 $2" in
  "install indru-data"*|"install indru-data["*) exit 0 ;;
esac
echo "pip (tests/test_docs.py): only 'pip install indru-data' is available here: $*" >&2
exit 1
"""


@dataclass(frozen=True)
class Example:
    doc: Path
    line: int
    lang: str
    code: str
    mode: str  # run | checkout | fork | server

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def examples(doc: Path) -> list[Example]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        lang = m.group(1)
        if lang not in RUN:
            continue
        before = text[: m.start()].rstrip("\n").splitlines()
        marker = MARKER.search(before[-1]) if before else None
        mode = marker.group(1) if marker else "run"
        assert mode in ("run", "checkout", "fork", "server"), f"{doc}: unknown marker {mode!r}"
        line = text[: m.start()].count("\n") + 1
        found.append(Example(doc, line, "python" if lang == "python" else "bash", m.group(2), mode))
    return found


ALL = [e for doc in DOCS for e in examples(doc)]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[dict[str, str]]:
    """The wheel installed into its own folder; the environment examples run with."""
    tmp = tmp_path_factory.mktemp("docs")
    pip = [sys.executable, "-m", "pip"]
    target = tmp / "site"
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True
    )
    shim = tmp / "shim"
    shim.mkdir()
    (shim / "pip").write_text(PIP_SHIM)
    (shim / "pip").chmod(0o755)
    (shim / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (shim / "python").chmod(0o755)
    path = os.pathsep.join([str(shim), str(target / "bin"), os.environ["PATH"]])
    yield {**os.environ, "PYTHONPATH": str(target), "PATH": path, "MPLBACKEND": "Agg"}


def test_examples_are_found_and_checkout_steps_are_few() -> None:
    assert sum(e.doc.name == "README.md" for e in ALL) >= 5
    assert any(e.lang == "python" and e.mode == "run" for e in ALL)
    checkout = [e.where for e in ALL if e.mode == "checkout"]
    assert len(checkout) <= MAX_CHECKOUT_BLOCKS, checkout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "indru_data.path(" in readme and "path/to/" not in readme  # the DuckDB example


DRIVER = """
import sys, traceback
blocks = {blocks!r}
namespace = {{"__name__": "__main__"}}
for where, code in blocks:
    if {fresh!r}:  # each block as if pasted on its own into a new interpreter
        namespace = {{"__name__": "__main__"}}
        for name in [m for m in sys.modules if m == "indru_data" or m.startswith("indru_data.")]:
            del sys.modules[name]
    try:
        exec(compile(code, where, "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print("example failed: " + where, file=sys.stderr)
        sys.exit(1)
import indru_data
assert indru_data.__file__.startswith({target!r}), indru_data.__file__
print("ran", len(blocks))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "doc",
    [d for d in DOCS if any(e.doc == d and e.lang == "python" and e.mode == "run" for e in ALL)],
    ids=lambda d: d.name,
)
def test_python_examples_run_outside_the_checkout(
    doc: Path, installed: dict[str, str], tmp_path: Path
) -> None:
    blocks = [
        (e.where, e.code) for e in ALL if e.doc == doc and e.lang == "python" and e.mode == "run"
    ]
    # README blocks must each run when pasted on their own (a reader copies one, not all);
    # the other pages read like notebooks, a block after the one before.
    fresh = doc.name == "README.md"
    script = DRIVER.format(blocks=blocks, target=installed["PYTHONPATH"], fresh=fresh)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=installed, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().endswith(f"ran {len(blocks)}")


def commands(code: str) -> list[tuple[list[str], str | None]]:
    """A shell block as (argv, file its output goes to) per command: `&&` and lines split."""
    found = []
    for line in code.splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            argv, words = words[:cut], words[cut + 1 :]
            out = None
            if ">" in argv:
                at = argv.index(">")
                argv, out = argv[:at], argv[at + 1]
            found.append((argv, out))
    return found


def run_command(argv: list[str], out: str | None, cwd: Path) -> str:
    """One command of a shell example, in this process; its output, or the test fails."""
    if argv[:2] == ["pip", "install"] and re.fullmatch(r"(indru-data|\.)(\[[\w,]+\])?", argv[2]):
        return ""  # the plain install (from PyPI, or `.` in a clone): this checkout is installed
    if argv[:2] == ["python", "-c"]:
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            exec(compile(argv[2], "<example>", "exec"), {"__name__": "__main__"})
        text = stdout.getvalue()
    else:
        assert argv[0] == "indru-data", f"only indru-data, pip and python -c here: {argv}"
        done = cli(*argv[1:])
        assert done.returncode == 0, f"{argv}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        text = done.stdout
    if out is not None:
        (cwd / out).write_text(text, encoding="utf-8")
    return text


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [e for e in ALL if e.lang == "bash" and e.mode not in ("checkout", "server")],
    ids=lambda e: e.where,
)
def test_shell_examples_run(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "work"
    if example.mode == "fork":
        copy_package(cwd)  # a fork: the data package, nothing else of the checkout
    else:
        cwd.mkdir()
    monkeypatch.chdir(cwd)
    for argv, out in commands(example.code):
        run_command(argv, out, cwd)


SCRIPT = """
import sys, indru_data
assert indru_data.__file__.startswith(sys.argv[1]), indru_data.__file__
for t in indru_data.tables():
    df = indru_data.load(t)
    assert len(df) > 0, t
    assert indru_data.load(t, "csv").equals(df), t
report = indru_data.validate()
assert report.valid, report.to_text()
assert "_package" in report.descriptor, report.descriptor
# Released versions travel in the wheel: by number, from any directory.
import indru_data.core.releases as v
released = v.released_versions()
assert released[0] == "0.1.0", released
old = indru_data.load("trade_annual", version="0.1.0")
assert len(old) == 80 and old.attrs["version"] == "0.1.0", (len(old), old.attrs)
h = indru_data.history("trade_annual")
assert h["first_version"].iloc[0] in released + [indru_data.__version__], h.head()
assert set(h["first_version"]) >= {"0.1.0"}
d = indru_data.diff("0.1.0", indru_data.__version__)
assert d.has_changes and d.problems.empty, d.problems
assert f"version {indru_data.__version__}" in indru_data.cite()
assert indru_data.load("trade_annual").attrs["version"] == indru_data.__version__
print("ok", len(indru_data.tables()))
"""


@pytest.mark.slow
def test_wheel_installs_and_loads_from_outside_the_checkout(
    tmp_path: Path, wheel: Path, installed: dict[str, str]
) -> None:
    _check_release_sizes(wheel)
    target = installed["PYTHONPATH"]
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, target],
        cwd=tmp_path,
        env=installed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok")
    # The wheel's console script itself, a real process: it validates the packaged data.
    script = Path(target) / "bin" / "indru-data"
    done = subprocess.run(
        [str(script), "validate"], cwd=tmp_path, env=installed, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert ": valid" in done.stdout and target in done.stdout, done.stdout


def _check_release_sizes(wheel: Path) -> None:
    """The README says each release adds about 200 KB to the wheel: keep that true."""
    import zipfile

    sizes: dict[str, int] = {}
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            m = re.match(r"indru_data/_package/releases/([^/]+)/", info.filename)
            if m:
                sizes[m.group(1)] = sizes.get(m.group(1), 0) + info.compress_size
    released = sorted(p.name for p in (ROOT / "releases").iterdir() if p.is_dir())
    assert sorted(sizes) == released  # every release travels in the wheel
    for version, size in sizes.items():
        assert size < 300_000, f"release {version} adds {size} bytes to the wheel"


# --- what the README and the table pages say matches the data ---------------------------------


def _readme_quickstart() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quickstart") :]
    return FENCE.search(section).group(2)  # type: ignore[union-attr]


def test_the_quickstart_query_returns_one_row_per_year() -> None:
    import indru_data

    match = re.search(r'trade\.query\(\s*"([^"]+)"\s*\)', _readme_quickstart())
    assert match, "the Quickstart has no trade.query(...)"
    got = indru_data.load("trade_annual").query(match.group(1))
    assert len(got) >= 15, len(got)
    assert got["period"].is_unique, got["period"][got["period"].duplicated()].tolist()
    assert set(got["period_type"]) == {"fiscal_year_india"}


def test_the_readme_states_the_column_count_of_trade_annual() -> None:
    import indru_data

    match = re.search(r"<TableInfo 'trade_annual': …; (\d+) columns", _readme_quickstart())
    assert match
    info = indru_data.table_info("trade_annual")
    assert int(match.group(1)) == len(info.fields)
    assert f"; {match.group(1)} columns;" in repr(info)


def _value_counts() -> dict[tuple[str, str], dict[str, int]]:
    """(table, field) -> {vocabulary value: rows holding it} for every vocabulary field."""
    import indru_data
    from indru_data.core.descriptor import packaged

    counts: dict[tuple[str, str], dict[str, int]] = {}
    for table in packaged().tables.values():
        frame = indru_data.load(table.name)
        for f in table.fields:
            if f.enum and f.name in frame:
                held = frame[f.name].astype("string").value_counts().to_dict()
                counts[(table.name, f.name)] = {v: int(held.get(v, 0)) for v in f.enum}
    return counts


def _prose(page: str) -> str:
    """A page without its vocabulary tables (which list every allowed value with its count)."""
    head, _, vocab = page.partition("## Vocabularies")
    return head + "\n".join(line for line in vocab.splitlines() if not line.startswith("|"))


NEGATION = re.compile(r"\b(no|not|none|never|without|nor)\b", re.IGNORECASE)
COUNTRY_FORMS = {"russia": "russia|russian|russia's", "india": "india|indian|india's"}


def _phrase(value: str) -> re.Pattern[str] | None:
    """A reporter value as prose names it: `russia_customs` as "Russian customs"."""
    words = value.split("_")
    if len(words) < 2:
        return None
    parts = [f"(?:{COUNTRY_FORMS.get(w, re.escape(w))})" for w in words]
    return re.compile(r"\b" + r"\s+".join(parts) + r"\b", re.IGNORECASE)


def _named_without_rows(text: str, value: str, phrase: re.Pattern[str] | None) -> list[str]:
    """Sentences of `text` that name `value` (as code, or as a reporter in words) without
    saying it is absent."""
    hits = []
    for sentence in re.split(r"(?<=[.;:])\s+", " ".join(text.split())):
        named = f"`{value}`" in sentence or (phrase and phrase.search(sentence))
        if named and not NEGATION.search(sentence):
            hits.append(sentence)
    return hits


def test_every_vocabulary_value_a_page_names_has_rows(tmp_path: Path) -> None:
    """Each table page (and README) names a vocabulary value outside its vocabulary table
    only if rows hold it: the trade page once said figures came from "Russian customs" while
    `reporter = russia_customs` had no row. Reporters are matched in words too."""
    from indru_data.outputs.site import build_site_pages

    build_site_pages(tmp_path)
    counts = _value_counts()
    assert counts[("trade_annual", "reporter")]["india_commerce_ministry"] > 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    held_anywhere = {v for c in counts.values() for v, n in c.items() if n}
    problems = []
    for (table, field), values in counts.items():
        page = _prose((tmp_path / "tables" / f"{table}.md").read_text(encoding="utf-8"))
        for value, rows in values.items():
            if rows:
                continue
            words = _phrase(value) if field in ("reporter", "compiler") else None
            for hit in _named_without_rows(page, value, words):
                problems.append(f"tables/{table}.md names {field} = {value} (0 rows): {hit}")
            if value not in held_anywhere:
                for hit in _named_without_rows(readme, value, words):
                    problems.append(f"README.md names {field} = {value} (0 rows): {hit}")
    assert problems == [], "\n".join(problems)


def test_the_vocabulary_check_catches_a_reporter_without_rows() -> None:
    """The check above can fail: the sentence the trade page used to carry is caught."""
    old = (
        "India's exports to Russia, imports from Russia and total trade in USD million, as "
        "reported by India's Department of Commerce, Russian customs or officials."
    )
    assert _named_without_rows(old, "russia_customs", _phrase("russia_customs"))
    fixed = "No Russian customs release is held."
    assert not _named_without_rows(fixed, "russia_customs", _phrase("russia_customs"))
    assert _named_without_rows("Values: `russia_customs`.", "russia_customs", None)
