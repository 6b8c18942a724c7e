"""The README and the docstrings, checked against the code they describe.

Documentation drifts silently: a setting gets a field but no line in the README, a command is added
to the parser, a module moves to a folder, an example in a docstring stops being true. Like
Datasette's ``tests/test_docs.py`` (every setting and plugin hook documented), these tests read the
code's own tables (``config.Settings`` and its environment variables, the command-line parser, the
package's files) and fail naming what the README lacks; and they run every example in a docstring,
since an example that no longer runs is worse than none.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import doctest
import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from heza_geo import config

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "heza_geo"
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def package_modules() -> dict[str, Path]:
    """Every module of heza_geo by dotted name (a package by its own name), from the file tree."""
    modules = {}
    for here, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(here) / name
                parts = list(path.relative_to(ROOT).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                modules[".".join(parts)] = path
    return modules


def named(text: str, word: str) -> bool:
    """``word`` appears in ``text`` as a whole name (``data_dir``, not ``data_dirs``)."""
    return re.search(rf"(?<![\w]){re.escape(word)}(?!\w)", text) is not None


# --- settings ---------------------------------------------------------------------------------------

def environment_table() -> dict[str, str]:
    """Setting → its environment variable, from the config module's one table (``ENVIRONMENT``, once
    it is public; ``_ENV`` before)."""
    return getattr(config, "ENVIRONMENT", None) or config._ENV


def test_every_setting_is_documented_in_the_readme(readme: str) -> None:
    """Each field of ``config.Settings`` has an environment variable in config's table, and the README
    names both (``config_file`` is where the settings came from, not a setting; ``HEZA_CONFIG`` names it)."""
    table = environment_table()
    fields = [f.name for f in dataclasses.fields(config.Settings) if f.name != "config_file"]
    problems = [f"Settings.{name} has no environment variable in heza_geo/config.py's table"
                for name in fields if name not in table]
    problems += [f"heza_geo/config.py's table names {variable} for {name!r}, which is not a Settings field"
                 for name, variable in table.items() if name not in fields]
    for name in fields:
        if not named(readme, name):
            problems.append(f"README.md does not name the setting {name}")
        variable = table.get(name)
        if variable and not named(readme, variable):
            problems.append(f"README.md does not name {variable} (the variable of the setting {name})")
    if not named(readme, "HEZA_CONFIG"):
        problems.append("README.md does not name HEZA_CONFIG (where the settings file is)")
    assert not problems, "\n".join(problems)


# --- commands ---------------------------------------------------------------------------------------

class _Parsed(BaseException):
    """Raised instead of parsing, to hand back the parser ``main`` built (BaseException: no
    ``except Exception`` in main swallows it)."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        super().__init__()
        self.parser = parser


_BUILDER_NAMES = ("build_parser", "make_parser", "create_parser", "get_parser", "parser")


def _builder_names(path: Path) -> Iterator[str]:
    """Functions of one module that build the parser, read from its source (so the heavy command
    modules are not imported for nothing): by name, or returning an ``ArgumentParser``, with no
    required argument."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        returns = ast.unparse(node.returns) if node.returns else ""
        arguments = node.args
        required = len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults) + sum(
            default is None for default in arguments.kw_defaults)
        if required == 0 and (node.name in _BUILDER_NAMES or "ArgumentParser" in returns):
            yield node.name


def cli_parser() -> argparse.ArgumentParser:
    """The command line's parser: from a builder function in ``heza_geo.cli`` (the module, or the
    package and its modules) if there is one, else the parser ``heza_geo.cli.main`` builds, caught
    as it is about to parse."""
    sources = [(name, path) for name, path in package_modules().items()
               if name == "heza_geo.cli" or name.startswith("heza_geo.cli.")]
    for name, path in sorted(sources, key=lambda source: (source[0] != "heza_geo.cli", source[0])):
        for function in _builder_names(path):
            parser = getattr(importlib.import_module(name), function)()
            if isinstance(parser, argparse.ArgumentParser):
                return parser
    main = importlib.import_module("heza_geo.cli").main
    main = getattr(main, "main", main)  # heza_geo.cli.main may be a module holding main()

    def caught(self: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        raise _Parsed(self)

    with mock.patch.object(argparse.ArgumentParser, "parse_known_args", caught):  # parse_args calls it
        try:
            main([])
        except _Parsed as parsed:
            return parsed.parser
    raise AssertionError("heza_geo.cli.main returned without parsing its arguments; give heza_geo.cli a "
                         "build_parser() returning its argparse.ArgumentParser")


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    return [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]


def test_every_command_is_documented_in_the_readme(readme: str) -> None:
    """Each subcommand of ``python -m heza_geo`` has an example in the README."""
    commands = subcommands(cli_parser())
    assert commands, "the command line's parser has no subcommands"
    missing = [command for command in commands
               if not re.search(rf"python -m heza_geo {re.escape(command)}(?![\w-])", readme)]
    assert not missing, ("README.md shows no example of: "
                         + ", ".join(f"python -m heza_geo {command}" for command in missing))


# --- modules ----------------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(r"\[[^\]]*\]|\(|\)|[^\s,()\[\]]+")
_MODULE_LIKE = re.compile(r"^[a-z_][a-z0-9_]*(?:\.py|\.js)?/?$|^…$")


def layout_block(readme: str) -> str:
    """The first code block of the README's section on how the code is laid out."""
    section = re.search(r"^##+ [^\n]*(?:laid out|layout)[^\n]*$(.*?)(?=^## |\Z)", readme,
                        re.MULTILINE | re.DOTALL | re.IGNORECASE)
    assert section, "README.md has no section on how the code is laid out"
    block = re.search(r"^```[^\n]*\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    assert block, "README.md's layout section has no code block drawing the tree"
    return block.group(1)


def _names(column: str, folder: str) -> list[str]:
    """The file paths one names column lists (``popups layers, plots/ (pack layer plots.js)``); ``[old]``
    names in brackets are skipped. A column with any word that cannot be a module name is a
    description, and names nothing."""
    paths: list[str] = []
    inner: str | None = None
    last_folder: str | None = None
    for token in _NAME_TOKEN.findall(column):
        if token.startswith("["):
            continue
        if token == "(" and last_folder is not None:
            inner = last_folder
        elif token == ")" and inner is not None:
            inner = None
        elif not _MODULE_LIKE.match(token):
            return []
        elif token.endswith("/"):
            last_folder = (inner or folder) + token
            paths.append(last_folder)
        elif token != "…":
            last_folder = None
            paths.append((inner or folder) + (token if token.endswith((".py", ".js")) else token + ".py"))
    return paths


def layout_names(readme: str) -> set[str]:
    """What the README's tree names, as repository paths (``heza_geo/io/dataset.py``, ``heza_geo/store/``).

    A line whose first word ends in ``/`` opens that folder for the lines indented under it. Columns
    are separated by two spaces or more: the names column (the first, or the second after a folder)
    lists modules of the folder the line sits in, bare or with ``.py``, unless it reads as a
    description; any ``x.py`` elsewhere on the line counts for its folder too.
    """
    found: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in layout_block(readme).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        folder = stack[-1][1] if stack else ""
        columns = re.split(r"\s{2,}", line.strip())
        first, _, rest = columns[0].partition(" ")
        if first.endswith("/") and "," not in columns[0]:
            folder += first
            found.add(folder)
            stack.append((indent, folder))
            names = (rest or (columns[1] if len(columns) > 1 else ""))
        else:
            names = columns[0]
        found.update(_names(names, folder))
        found.update(folder + match for match in re.findall(r"(?<![\w/.])([a-z_][a-z0-9_]*\.py)\b", line))
    return found


def test_every_module_is_named_in_the_readme(readme: str) -> None:
    """Each module of heza_geo is named in the README: by its dotted name (``heza_geo.maps.plots.layer``),
    its path (``heza_geo/maps/plots/layer.py``), or in the layout tree, its bare name on a line of its
    folder (``plots/  pack layer plots.js``). A package counts by its folder (``store/``)."""
    in_tree = layout_names(readme)
    missing = []
    for name, path in package_modules().items():
        if name == "heza_geo":
            continue
        relative = path.relative_to(ROOT).as_posix()
        folder = relative.removesuffix("__init__.py") if path.name == "__init__.py" else None
        if name == "heza_geo.__main__":
            if "python -m heza_geo" not in readme:
                missing.append(f"{relative} (python -m heza_geo)")
            continue
        if (named(readme, name) or relative in readme or relative in in_tree
                or (folder is not None and (folder in readme or folder in in_tree))):
            continue
        missing.append(relative)
    assert not missing, (f"{len(missing)} module(s) the README does not name (add them to 'How the code is "
                         "laid out'):\n" + "\n".join(missing))


# --- examples ---------------------------------------------------------------------------------------

DOCTEST_MODULES = sorted(name for name, path in package_modules().items()
                         if name != "heza_geo.__main__" and ">>>" in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_doctests_run(name: str) -> None:
    """Every example in a docstring runs and prints what it says (as in ``shapely/measurement.py``).

    A module of heza_geo/ui/ is skipped only when importing it needs a running Streamlit (a script
    run context); every other module imports in a plain interpreter, so its examples must run."""
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        needs_streamlit = (type(exc).__module__.startswith("streamlit")
                           or re.search(r"ScriptRunContext|streamlit", str(exc), re.IGNORECASE))
        if name.startswith("heza_geo.ui.") and needs_streamlit:
            pytest.skip(f"{name} needs a Streamlit runtime to import: {exc}")
        raise
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    skipped = module.__file__ and Path(module.__file__).read_text(encoding="utf-8").count("+SKIP")
    assert result.attempted > 0, (
        f"{name}: '>>>' in its source but no example doctest runs"
        + (f" ({skipped} marked +SKIP: an example that cannot run is prose, not +SKIP)" if skipped else ""))
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (printed above)"
