"""Every example a reader sees runs as shown.

Each page of the documentation (and the README) is read as a reader reads it: top to
bottom, in a fresh temporary folder that holds only what the page tells the reader to
create or download. Then

* ``>>>`` blocks (```` ```pycon ````, ```` ```python ```` or ```` ```{doctest} ````) run as
  doctests, in one namespace per page, and what they print must match the page;
* ```` ```console ```` blocks run their ``$ kotacerdas …`` (and ``python``, ``jq`` …)
  commands in a shell, in the same folder, and the output (standard output and error, as a
  terminal shows them) must match the lines under each command; a line ``…`` stands for any
  number of lines. Set-up commands (``pip``, ``git``, ``sphinx-build`` …) are not run;
* a code block with a file name as caption (```` ```{code-block} toml ```` or
  ```` ```{literalinclude} ```` with ``:caption: contoh@1.toml``) is a file the reader is told
  to create: it is written with exactly the text shown;
* a ``{download}`` link is a file the reader is told to download: it is copied under the
  link target's name.

Nothing is hidden: a page may not use ``{testsetup}``, ``{testcleanup}`` or ``{testcode}``.
The README and the documentation's start page, which include the README's quick start, are
read in a clone of the repository, so their folder also holds a copy of ``examples/``.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: Folders of pages that are not narrative: API pages run docstrings (the Sphinx doctest
#: build does that), the others are generated.
SKIPPED_FOLDERS = ("_build", "_generated", "_ext", "reference/api", "reference/frameworks")
SKIPPED_PAGES = ("reference/messages.md",)
#: Pages read in a clone of the repository.
CLONE_PAGES = ("README.md", "docs/index.md")
#: Commands that set up a machine rather than show what kotacerdas does.
SETUP_COMMANDS = frozenset(
    {"pip", "git", "cd", "sphinx-build", "pytest", "ruff", "mypy", "python3 -m venv", "."}
)
#: Programs besides kotacerdas that pages use in pipelines; a command that needs a missing
#: one is not run.
OPTIONAL_TOOLS = ("jq",)
HIDDEN = ("{testsetup}", "{testcleanup}", "{testcode}", "{testoutput}")
PYTHON_LANGUAGES = frozenset({"python", "py", "pycon", "python3", "{doctest}"})
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
DOWNLOAD = re.compile(r"(?<!`)\{download\}`(?:(?P<text>[^`<]*?)\s*<)?(?P<target>[^`>]+)>?`")
ELLIPSIS_LINE = frozenset({"…", "..."})


@dataclass
class Block:
    """One fenced block of a page, with its directive options."""

    info: str
    lineno: int
    text: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def directive(self) -> str:
        return self.info.split()[0] if self.info.startswith("{") else ""

    @property
    def argument(self) -> str:
        parts = self.info.split(maxsplit=1)
        return parts[1] if self.info.startswith("{") and len(parts) > 1 else ""

    @property
    def language(self) -> str:
        if self.directive in {"{code-block}", "{code}", "{sourcecode}"}:
            return self.argument
        if self.directive == "{literalinclude}":
            return self.options.get("language", "")
        return self.info.split()[0] if self.info else ""


@dataclass
class Download:
    """A ``{download}`` link: the reader saves the target in their folder.

    Under its own name, or under the path the link shows when that ends with the name
    (``eviden/langsat-manis.pdf``: into the folder ``eviden``).
    """

    target: str
    text: str
    lineno: int

    @property
    def saved_as(self) -> str:
        name = Path(self.target).name
        shown = self.text.strip("`* ")
        return shown if shown.endswith("/" + name) else name


def _include(page: Path, block: Block) -> str:
    text = (page.parent / block.argument).read_text(encoding="utf-8")
    if "start-after" in block.options:
        text = text.split(block.options["start-after"], 1)[1]
    if "end-before" in block.options:
        text = text.split(block.options["end-before"], 1)[0]
    return text


def _literal(page: Path, block: Block) -> str:
    """The text a ``{literalinclude}`` shows: the file, or the lines it selects."""
    lines = (page.parent / block.argument).read_text(encoding="utf-8").splitlines(keepends=True)
    selected = block.options.get("lines")
    if selected is None:
        return "".join(lines)
    start, _, end = selected.partition("-")
    return "".join(lines[int(start) - 1 : int(end) if end else None])


def read_page(page: Path, text: str | None = None, offset: int = 0) -> Iterator[Block | Download]:
    """The blocks and downloads of a MyST page, in reading order.

    Directives that hold Markdown (notes, tabs, dropdowns …) are read through; an
    ``{include}`` is replaced by the text it includes.
    """
    lines = (page.read_text(encoding="utf-8") if text is None else text).splitlines()
    containers: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = FENCE.match(line)
        if match is None:
            for download in DOWNLOAD.finditer(line):
                yield Download(download["target"], download["text"] or "", offset + i + 1)
            i += 1
            continue
        fence, info = match["fence"], match["info"]
        if not info and containers and fence == containers[-1]:
            containers.pop()
            i += 1
            continue
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = FENCE.match(lines[j])
            if (
                close
                and not close["info"]
                and close["fence"][0] == fence[0]
                and len(close["fence"]) >= len(fence)
            ):
                break
            body.append(lines[j])
            j += 1
        block = Block(info, offset + i + 1, "")
        k = 0
        while k < len(body) and OPTION.match(body[k]):
            option = OPTION.match(body[k])
            assert option is not None
            block.options[option["key"]] = option["value"]
            k += 1
        block.text = "\n".join(body[k:]).strip("\n") + "\n"
        is_code = not info.startswith("{") or block.directive in {
            "{code-block}",
            "{code}",
            "{sourcecode}",
            "{doctest}",
            "{literalinclude}",
            "{eval-rst}",
            "{mermaid}",
            *HIDDEN,
        }
        if block.directive == "{include}":
            yield from read_page(page, _include(page, block), offset=0)
            i = j + 1
        elif is_code:
            yield block
            i = j + 1
        else:  # a directive holding Markdown: read what it holds
            containers.append(fence)
            i += 1


def pages() -> list[Path]:
    found = [ROOT / "README.md"]
    for page in sorted(DOCS.rglob("*.md")):
        relative = page.relative_to(DOCS).as_posix()
        if relative.startswith(SKIPPED_FOLDERS) or relative in SKIPPED_PAGES:
            continue
        found.append(page)
    return found


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _shell_commands(block: Block) -> Iterator[tuple[str, list[str]]]:
    """The commands of a console block, each with the output lines shown under it."""
    command: list[str] = []
    output: list[str] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            if command:
                yield "\n".join(command), output
            command, output = [line[2:]], []
        elif line.startswith("> ") and command and not output:
            command.append(line[2:])
        elif command and not output and command[-1].endswith("\\"):
            command.append(line)  # a line continued with a backslash
        else:
            output.append(line.rstrip())
    if command:
        yield "\n".join(command), output


def _missing_tools() -> list[str]:
    return [tool for tool in OPTIONAL_TOOLS if shutil.which(tool) is None]


def _is_setup(command: str) -> bool:
    return any(command == word or command.startswith(word + " ") for word in SETUP_COMMANDS)


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Whether output lines match the page, a line ``…`` standing for any lines."""
    if not expected:
        return not actual
    if expected[0] in ELLIPSIS_LINE:
        return any(_matches(expected[1:], actual[n:]) for n in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and _matches(expected[1:], actual[1:])


def _strip_blank_edges(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    while lines and not lines[0]:
        lines = lines[1:]
    return lines


class _Runner(doctest.DocTestRunner):
    def __init__(self) -> None:
        super().__init__(
            optionflags=doctest.ELLIPSIS
            | doctest.DONT_ACCEPT_TRUE_FOR_1
            | doctest.REPORT_ONLY_FIRST_FAILURE,
            verbose=False,
        )
        self.report: list[str] = []


def _run_doctest(runner: _Runner, block: Block, page: Path, globs: dict[str, object]) -> bool:
    """Run one block; whether it printed what the page shows."""
    test = doctest.DocTestParser().get_doctest(
        block.text, globs, f"{_page_id(page)}:{block.lineno}", str(page), block.lineno
    )
    test.globs = globs  # one namespace per page, as in one Python session
    return not runner.run(test, out=runner.report.append, clear_globs=False).failed


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KOTACERDAS")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COLUMNS"] = "100"
    return env


def _run_console(block: Block, page: Path, folder: Path, failures: list[str]) -> None:
    status = 0  # of the command before, for a command that reads $?
    for command, expected in _shell_commands(block):
        if _is_setup(command):
            continue
        if any(re.search(rf"\b{tool}\b", command) for tool in _missing_tools()):
            continue  # the page uses a tool this machine lacks (jq): nothing to compare
        done = subprocess.run(
            ["bash", "-c", f"(exit {status})\n{command}"],
            cwd=folder,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        status = done.returncode
        actual = _strip_blank_edges([line.rstrip() for line in done.stdout.splitlines()])
        shown = _strip_blank_edges(expected)
        if not _matches(shown, actual):
            failures.append(
                f"{_page_id(page)}:{block.lineno}: $ {command}\n"
                f"--- the page shows\n" + "\n".join(shown) + "\n"
                f"--- the command printed (status {done.returncode})\n" + "\n".join(actual)
            )


def _create(block: Block, page: Path, folder: Path) -> None:
    name = block.options["caption"]
    text = _literal(page, block) if block.directive == "{literalinclude}" else block.text
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _is_file_name(caption: str | None) -> bool:
    return bool(caption) and re.fullmatch(r"[\w@./-]+\.\w+", caption or "") is not None


def _needs(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for module, extra in (("pandas", "dataframes"), ("polars", "dataframes")):
        if re.search(rf"^\s*(>>> )?(import {module}|from {module} )", text, re.MULTILINE):
            pytest.importorskip(module, reason=f"the page needs the '{extra}' extra")
    if ".xlsx" in text:
        pytest.importorskip("openpyxl", reason="the page needs the 'excel' extra")


@pytest.mark.parametrize("page", pages(), ids=_page_id)
def test_page_examples_run_as_shown(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _needs(page)
    for key in [key for key in os.environ if key.startswith("KOTACERDAS")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    if _page_id(page) in CLONE_PAGES:
        shutil.copytree(ROOT / "examples", tmp_path / "examples")
    globs: dict[str, object] = {"__name__": "__main__"}
    runner = _Runner()
    failures: list[str] = []
    for item in read_page(page):
        if isinstance(item, Download):
            if "_generated/" in item.target:
                continue  # written by the docs build; the page shows the command that makes it
            saved = tmp_path / item.saved_as
            saved.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(page.parent / item.target, saved)
            continue
        assert item.directive not in HIDDEN, (
            f"{_page_id(page)}:{item.lineno}: {item.directive} hides code from the reader; "
            "show what the page needs"
        )
        if _is_file_name(item.options.get("caption")):
            _create(item, page, tmp_path)
        elif item.language in PYTHON_LANGUAGES and item.text.lstrip().startswith(">>>"):
            if not _run_doctest(runner, item, page, globs):
                break  # what follows builds on this block: its failures would only echo it
        elif item.language == "console":
            _run_console(item, page, tmp_path, failures)
    failures.extend(runner.report)
    assert not failures, "\n".join(failures)


def test_reader_sees_ellipsis_match() -> None:
    assert _matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "…"], ["a"])
    assert not _matches(["a", "d"], ["a", "b", "d"])
    assert not _matches(["a"], ["a", "b"])


def test_reading_order_and_includes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "inc.md").write_text(
        "before\n<!-- s -->\n```console\n$ kotacerdas\n```\n<!-- e -->\n"
    )
    (tmp_path / "f.toml").write_text("a = 1\nb = 2\n")
    page.write_text(
        "Get {download}`the file <f.toml>`.\n\n"
        ":::{note}\n```pycon\n>>> 1\n1\n```\n:::\n\n"
        "````{tab} x\n```python\n>>> 2\n2\n```\n````\n\n"
        "```{include} inc.md\n:start-after: <!-- s -->\n:end-before: <!-- e -->\n```\n\n"
        "```{literalinclude} f.toml\n:language: toml\n:caption: g.toml\n:lines: 2-\n```\n"
    )
    items = list(read_page(page))
    assert isinstance(items[0], Download)
    assert items[0].target == "f.toml"
    blocks = [item for item in items if isinstance(item, Block)]
    assert [b.language for b in blocks] == ["pycon", "python", "console", "toml"]
    assert [b.text for b in blocks[:3]] == [">>> 1\n1\n", ">>> 2\n2\n", "$ kotacerdas\n"]
    assert _literal(page, blocks[3]) == "b = 2\n"
