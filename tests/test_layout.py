"""The layout of the package, held in place by reading its source.

``heza_geo`` is layered by what it imports, the heaviest library outermost (``../shared/STYLE.md``,
"Where code goes"): a handful of foundations sit flat in ``heza_geo/``; ``io/`` and ``analysis/``
need neither folium nor Streamlit; ``maps/`` draws with folium; ``ui/`` is the only Streamlit glue;
``pages/`` holds page scripts and nothing else. Such rules drift one convenient import at a time, and
no behaviour test notices, so these tests read every module with :mod:`ast` (nothing of the app is
imported, except in the one test that checks what an import really loads) and name the file and line
that breaks a rule.
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import os
import re
import subprocess
import sys
import tokenize
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "heza_geo"

#: the folders of the repository whose Python the housekeeping rules cover
HOUSEKEEPING = ("heza_geo", "pages", "app.py", "scripts", "tests")

#: at most this many modules sit flat in heza_geo/, __init__ and __main__ included
MAX_FLAT_MODULES = 10

STREAMLIT = ("streamlit", "streamlit_folium")
FOLIUM = ("folium", "branca")

#: the Streamlit modules a page or heza_geo may import: the documented, public API
PUBLIC_STREAMLIT = ("streamlit", "streamlit.components.v1", "streamlit.testing.v1", "streamlit_folium")

#: Streamlit's internals, reached as attributes of ``streamlit`` (``st.runtime…``) or imported by name
PRIVATE_STREAMLIT_ATTRIBUTES = frozenset({
    "runtime", "web", "proto", "elements", "delta_generator", "commands", "watcher", "vendor",
    "config_option", "source_util", "env_util", "file_util", "net_util", "type_util", "util", "logger",
})

#: the modules that may use a private Streamlit API, each for one documented reason
PRIVATE_STREAMLIT_EXCEPTIONS: dict[str, str] = {
    "heza_geo/ui/guard.py": "the web guard reads each websocket message's type with streamlit.proto's BackMsg "
                            "to drop 'clear cache' before Streamlit sees it",
    "heza_geo/ui/fastmap.py": "streamlit_folium._get_map_string and friends render the map once for all "
                              "sessions, behind a version check and a parity test",
}

LANGUAGE_CODES = frozenset({"vi", "en", "ko", "ja", "zh"})
#: a name that holds a language: lang, lg, language, view.lang, default_language, lang_code …
LANGUAGE_NAME = re.compile(r"^(?:.*_)?(?:lang|lg|language|locale)(?:_.*)?$", re.IGNORECASE)


# --- reading the source -----------------------------------------------------------------------------

def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _walk(folder: Path) -> Iterator[Path]:
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "node_modules") and not d.startswith("."))
        yield from (Path(here) / name for name in sorted(files) if name.endswith(".py"))


def python_files(*places: str) -> list[Path]:
    """The .py files of these folders (or single files) of the repository; caches, .venv, node_modules
    and other hidden folders left out."""
    files: list[Path] = []
    for place in places:
        path = ROOT / place
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(_walk(path))
    return files


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def line(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)


def module_name(path: Path) -> str:
    """``heza_geo/maps/plots/layer.py`` → ``heza_geo.maps.plots.layer``; a package's __init__ → the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in python_files("heza_geo")}


def imported_modules(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Every absolute import anywhere in a module, function-level ones too: (module, line)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def top(module: str) -> str:
    return module.partition(".")[0]


def under(path: Path, *folders: str) -> bool:
    return any(rel(path).startswith(folder.rstrip("/") + "/") for folder in folders)


def module_aliases(tree: ast.Module, module: str) -> set[str]:
    """The local names bound to ``module`` itself (``import streamlit as st`` → {"st"})."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    names.add(alias.asname or alias.name)
                elif alias.asname is None and alias.name.startswith(module + "."):
                    names.add(top(alias.name))  # `import os.path` binds os
    return names


def imported_names(tree: ast.Module, module: str, name: str) -> set[str]:
    """The local names bound by ``from module import name [as alias]``."""
    return {alias.asname or alias.name
            for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0
            and node.module == module for alias in node.names if alias.name == name}


# --- import cycles ----------------------------------------------------------------------------------

def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _resolve_relative(importer: str, path: Path, node: ast.ImportFrom) -> str:
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def import_graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """heza_geo's modules and what each executes on import, from the source.

    Importing ``heza_geo.a.b`` runs ``heza_geo.a`` (its package __init__) first, so that is an edge
    too, unless the importer is itself inside ``heza_geo.a`` (then it has run already).
    ``from heza_geo.x import name`` is an edge to ``heza_geo.x.name`` if that is a module. A package
    __init__ importing its own submodules is the usual thing; a submodule naming its own package
    (``from heza_geo.store import X`` in ``heza_geo/store/sql.py``) is an edge back to that __init__.
    """
    modules = package_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    where: dict[tuple[str, str], str] = {}

    def add(importer: str, target: str, line: int) -> None:
        resolved = target
        while resolved and resolved not in modules:  # heza_geo.io.load_dataset → heza_geo.io
            resolved = resolved.rpartition(".")[0]
        if not resolved:
            return
        own = set(_ancestors(importer))
        for module in [*_ancestors(resolved), resolved]:
            implicit = module != resolved
            if module not in modules or module == importer or (implicit and module in own):
                continue
            graph[importer].add(module)
            where.setdefault((importer, module), f"{rel(modules[importer])}:{line}")

    for importer, path in modules.items():
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if top(alias.name) == "heza_geo":
                        add(importer, alias.name, node.lineno)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve_relative(importer, path, node) if node.level else node.module or ""
                if top(base) != "heza_geo":
                    continue
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    add(importer, submodule if submodule in modules else base, node.lineno)
    return graph, where


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def shortest_cycle(graph: dict[str, set[str]], start: str, members: set[str]) -> list[str]:
    """The shortest path start → … → start inside one component (breadth first)."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node] & members):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return []


def test_no_import_cycle_in_the_package() -> None:
    """No module of heza_geo imports, however indirectly and however late (function-level imports
    count), a module that imports it: a cycle works only by the order things happen to load in, and
    a layer that needs one belongs elsewhere (Leaflet keeps its single cycle in one function). A
    submodule naming its own package (``from heza_geo.store import X`` in store/sql.py) closes a
    cycle through the package's __init__; import from the defining module instead."""
    graph, where = import_graph()
    cycles: set[tuple[str, ...]] = set()
    for component in strongly_connected(graph):
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        for start in component:
            ring = shortest_cycle(graph, start, set(component))[:-1]
            turn = ring.index(min(ring))
            cycles.add(tuple(ring[turn:] + ring[:turn]))
    report = []
    for cycle in sorted(cycles, key=lambda c: (len(c), c)):
        steps = [*cycle, cycle[0]]
        report.append(" → ".join(steps))
        report.extend(f"    {where[a, b]}: {a} imports {b}" for a, b in itertools.pairwise(steps))
    assert not cycles, f"{len(cycles)} import cycle(s) in heza_geo:\n" + "\n".join(report)


# --- where modules sit --------------------------------------------------------------------------------

def test_at_most_ten_modules_sit_flat_in_the_package() -> None:
    """Flat are the foundations everything else stands on; every other module is in its folder."""
    flat = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(flat) <= MAX_FLAT_MODULES, (
        f"heza_geo/ holds {len(flat)} flat modules, at most {MAX_FLAT_MODULES} may sit there "
        f"(the foundations: schema config errors i18n styling view links text, __init__, __main__); "
        f"move the others into their folder: {', '.join(flat)}")


def test_each_folder_init_names_what_callers_use() -> None:
    """A folder per kind, its ``__init__`` naming what callers use (``lonboard/layer/__init__.py``):
    a docstring saying what the folder holds, and ``__all__``."""
    problems = []
    folders = sorted({path.parent for path in python_files("heza_geo")} - {PACKAGE})
    for folder in folders:
        init = folder / "__init__.py"
        if not init.is_file():
            problems.append(f"{rel(folder)}/: has modules but no __init__.py")
            continue
        tree = parse(init)
        if not ast.get_docstring(tree):
            problems.append(f"{rel(init)}:1: no docstring saying what the folder holds")
        if not any(isinstance(target, ast.Name) and target.id == "__all__"
                   for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
                   for target in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            problems.append(f"{rel(init)}: defines no __all__ (what callers use)")
    assert not problems, "\n".join(problems)


def test_pages_holds_only_the_pages_app_navigates_to() -> None:
    """Streamlit reads ``pages/`` the legacy way until ``st.navigation`` has run, so any helper module
    there shows up as a page: the folder holds exactly the scripts of app.py's navigation
    (``heza_geo.ui.common.PAGES``, which app.py passes to ``st.navigation``)."""
    from heza_geo.ui import common

    assert "common.navigation(" in (ROOT / "app.py").read_text(encoding="utf-8"), "app.py navigates elsewhere"
    named = {f"pages/{script}" for script, _title, _url in common.PAGES}
    assert named, "heza_geo.ui.common.PAGES names no page"
    present = {f"pages/{path.name}" for path in (ROOT / "pages").iterdir() if path.name != "__pycache__"}
    extra, missing = sorted(present - named), sorted(named - present)
    assert not extra and not missing, (
        (f"in pages/ but not a page of app.py's st.navigation (move to heza_geo/ui/): {extra}\n" if extra else "")
        + (f"named by the navigation but missing from pages/: {missing}" if missing else ""))


# --- what each layer imports --------------------------------------------------------------------------

def _check_groups() -> dict[str, list[str]]:
    """The modules each import-time check loads, from the file tree (not pkgutil: a folder without its
    __init__ yet is a namespace package that pkgutil would not walk)."""
    modules = package_modules()
    groups: dict[str, list[str]] = {
        "foundations": sorted(name for name, path in modules.items()
                              if path.parent == PACKAGE and path.name != "__main__.py"),  # __main__ runs the CLI
    }
    for folder in ("analysis", "io", "store"):
        groups[folder] = sorted(name for name, path in modules.items() if under(path, f"heza_geo/{folder}"))
    return groups


_CHILD = r"""
import importlib, json, sys, traceback
FORBIDDEN = ("folium", "branca", "streamlit", "streamlit_folium")
first = {}

class Watch:
    '''Notes which heza_geo code first imported each forbidden library (it does not block it).'''
    def find_spec(self, name, path=None, target=None):
        library = name.partition(".")[0]
        if library in FORBIDDEN and library not in first:
            chain, frame = [], sys._getframe(1)
            while frame is not None:
                module = frame.f_globals.get("__name__") or ""
                if module.startswith("heza_geo") and (not chain or chain[-1][0] != module):
                    chain.append((module, frame.f_code.co_filename, frame.f_lineno))
                frame = frame.f_back
            first[library] = chain[::-1]
        return None

sys.meta_path.insert(0, Watch())
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        failed[name] = traceback.format_exception_only(type(exc), exc)[-1].strip()
loaded = sorted({m.partition(".")[0] for m in sys.modules} & set(FORBIDDEN))
print(json.dumps({"loaded": loaded, "first": first, "failed": failed}))
"""


@pytest.fixture(scope="module")
def import_checks() -> dict[str, dict | str]:
    """Each group imported in a fresh interpreter; the four run side by side to keep this quick."""
    running = {group: subprocess.Popen([sys.executable, "-c", _CHILD, *names], cwd=ROOT, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for group, names in _check_groups().items() if names}
    results: dict[str, dict | str] = {}
    for group, process in running.items():
        try:
            out, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        try:
            results[group] = json.loads(out.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            results[group] = f"the check itself failed (exit {process.returncode}):\n{err[-2000:]}"
    return results


@pytest.mark.parametrize("group", ["analysis", "io", "foundations", "store"])
def test_analysis_and_io_import_without_folium_or_streamlit(group: str, import_checks: dict) -> None:
    """Importing heza_geo.analysis, heza_geo.io, the flat foundations or heza_geo.store loads none of
    folium, branca, streamlit, streamlit_folium: a script or a test of the data layer stays light, and
    the layers stay in order. Checked in a fresh interpreter, so it sees what an import really loads
through every module it pulls in, and names the chain of imports that first brought each in."""
    names = _check_groups()[group]
    assert names, f"heza_geo/{group}/ has no modules yet (the target layout has it)"
    result = import_checks[group]
    assert not isinstance(result, str), result
    problems = [f"{name}: cannot be imported: {error}" for name, error in result["failed"].items()]
    for library in result["loaded"]:
        chain = result["first"].get(library, [])
        how = " → ".join(f"{module} ({Path(file).resolve().relative_to(ROOT).as_posix()}:{lineno})"
                         if Path(file).resolve().is_relative_to(ROOT) else module
                         for module, file, lineno in chain)
        problems.append(f"{library} is loaded; first imported via {how or 'an unknown path'}")
    assert not problems, f"importing the {group} modules ({len(names)}):\n" + "\n".join(problems)


def _imports_of(files: Iterable[Path], libraries: tuple[str, ...]) -> Iterator[tuple[Path, int, str]]:
    for path in files:
        for module, lineno in imported_modules(parse(path)):
            if top(module) in libraries:
                yield path, lineno, module


def test_only_ui_pages_and_app_import_streamlit() -> None:
    """Streamlit is glue: heza_geo/ui/, the page scripts and app.py import it, the data layer never."""
    offending = [f"{rel(path)}:{lineno}: imports {module}"
                 for path, lineno, module in _imports_of(python_files("heza_geo", "pages", "app.py"), STREAMLIT)
                 if not (under(path, "heza_geo/ui", "pages") or rel(path) == "app.py")]
    assert not offending, "Streamlit imported outside heza_geo/ui/, pages/ and app.py:\n" + "\n".join(offending)


def test_folium_stays_in_maps_export_ui_and_cli() -> None:
    """folium (and branca, its element library) draws maps: heza_geo/maps/, and the exports, the UI glue
    and the command line (bench) that hand those maps on. Pages call heza_geo; they do not build maps."""
    offending = [f"{rel(path)}:{lineno}: imports {module}"
                 for path, lineno, module in _imports_of(python_files("heza_geo", "pages", "app.py"), FOLIUM)
                 if not under(path, "heza_geo/maps", "heza_geo/export", "heza_geo/ui", "heza_geo/cli")]
    assert not offending, ("folium/branca imported outside heza_geo/maps, export, ui and cli:\n"
                           + "\n".join(offending))


def _private_streamlit_uses(path: Path) -> list[str]:
    tree = parse(path)
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if top(alias.name) in STREAMLIT and alias.name not in PUBLIC_STREAMLIT:
                    uses.append(f"{rel(path)}:{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and top(node.module or "") in STREAMLIT:
            if node.module not in PUBLIC_STREAMLIT and not any(public.startswith(f"{node.module}.")
                                                               for public in PUBLIC_STREAMLIT):
                uses.append(f"{rel(path)}:{node.lineno}: from {node.module} import …")
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                private = node.module == "streamlit" and alias.name in PRIVATE_STREAMLIT_ATTRIBUTES
                if alias.name.startswith("_") or (private and full not in PUBLIC_STREAMLIT):
                    uses.append(f"{rel(path)}:{node.lineno}: from {node.module} import {alias.name}")
    streamlit_names = module_aliases(tree, "streamlit")
    streamlit_folium_names = module_aliases(tree, "streamlit_folium")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name, attribute = node.value.id, node.attr
            if name in streamlit_names and (attribute.startswith("_") or attribute in PRIVATE_STREAMLIT_ATTRIBUTES):
                uses.append(f"{rel(path)}:{node.lineno}: {name}.{attribute}")
            elif name in streamlit_folium_names and attribute.startswith("_"):
                uses.append(f"{rel(path)}:{node.lineno}: {name}.{attribute} (streamlit_folium's private function)")
    return uses


def test_no_private_streamlit_api() -> None:
    """Only the public ``streamlit``, ``streamlit.components.v1``, ``streamlit.testing.v1`` and
    ``streamlit_folium``: a private class changes under us in any release (``PagesManager`` did). The
    modules in PRIVATE_STREAMLIT_EXCEPTIONS may use one, each for its stated reason; PagesManager no one."""
    files = python_files("heza_geo", "pages", "app.py")
    problems: list[str] = []
    for path in files:
        uses = _private_streamlit_uses(path)
        exception = PRIVATE_STREAMLIT_EXCEPTIONS.get(rel(path))
        if exception is None:
            problems.extend(f"{use} (a private Streamlit API)" for use in uses)
        elif not uses:
            problems.append(f"{rel(path)}: uses no private Streamlit API any more; remove its exception")
    for path in python_files("heza_geo", "pages", "app.py", "scripts"):
        for node in ast.walk(parse(path)):
            named = ((isinstance(node, ast.Name) and node.id == "PagesManager")
                     or (isinstance(node, ast.Attribute) and node.attr == "PagesManager")
                     or (isinstance(node, ast.ImportFrom) and any(a.name == "PagesManager" for a in node.names)))
            if named:
                problems.append(f"{rel(path)}:{line(node)}: PagesManager (Streamlit's private page registry; "
                                f"pages/ holds only pages instead)")
    assert not problems, "\n".join(dict.fromkeys(problems))


# --- settings, paths and languages ------------------------------------------------------------------

_COPY_CALLS = {"dict"}


def _environment_reads(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line, the key read or None, what) for each use of the environment that is not a copy of it."""
    tree = parse(path)
    os_names = module_aliases(tree, "os")
    environ_names = imported_names(tree, "os", "environ") | imported_names(tree, "os", "environb")
    getenv_names = imported_names(tree, "os", "getenv") | imported_names(tree, "os", "putenv")
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def key_of(node: ast.AST | None) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    for node in ast.walk(tree):
        is_environ = ((isinstance(node, ast.Attribute) and node.attr in ("environ", "environb")
                       and isinstance(node.value, ast.Name) and node.value.id in os_names)
                      or (isinstance(node, ast.Name) and node.id in environ_names))
        is_getenv = ((isinstance(node, ast.Attribute) and node.attr in ("getenv", "putenv", "unsetenv")
                      and isinstance(node.value, ast.Name) and node.value.id in os_names)
                     or (isinstance(node, ast.Name) and node.id in getenv_names))
        parent = parents.get(node)
        if is_getenv:
            call = parent if isinstance(parent, ast.Call) and parent.func is node else None
            yield line(node), key_of(call.args[0] if call and call.args else None), ast.unparse(call or node)
        elif is_environ:
            grand = parents.get(parent) if parent is not None else None
            if isinstance(parent, ast.Dict) and any(key is None and value is node
                                                    for key, value in zip(parent.keys, parent.values, strict=True)):
                continue  # {**os.environ, …}: a copy for a child process
            if isinstance(parent, ast.Attribute) and parent.attr == "copy" and isinstance(grand, ast.Call):
                continue  # os.environ.copy()
            if (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in _COPY_CALLS
                    and parent.args == [node]):
                continue  # dict(os.environ)
            if isinstance(parent, ast.keyword) and parent.arg == "env":
                continue  # subprocess.run(…, env=os.environ): the child inherits it whole
            if isinstance(parent, ast.Subscript) and parent.value is node:
                yield line(node), key_of(parent.slice), ast.unparse(parent)
            elif isinstance(parent, ast.Attribute) and isinstance(grand, ast.Call) and grand.func is parent:
                yield line(node), key_of(grand.args[0] if grand.args else None), ast.unparse(grand)
            elif isinstance(parent, ast.Compare) and node in parent.comparators:
                yield line(node), key_of(parent.left), ast.unparse(parent)
            else:
                yield line(node), None, ast.unparse(parent if parent is not None else node)


#: what the command line may read itself: the one secret input, and who makes a change
CLI_ENVIRONMENT = frozenset({"HEZA_PASSWORD", "USER"})


def test_only_config_reads_the_environment() -> None:
    """Every setting is a field of ``config.Settings``, read from one table of environment variables in
    heza_geo/config.py; no other module reads a variable, so every setting is documented, validated and
    overridable in one place.

    Reading a key (``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X")``, ``"X" in
    os.environ``, ``environ[...]``, and any other use of the mapping) is allowed only in config.py,
    with two exceptions:

    - heza_geo/cli/** may read ``HEZA_PASSWORD`` (the one secret input, never a setting or an argument)
      and ``USER`` (who makes a change), by their literal names;
    - anything may *copy* the whole mapping to hand it to a child process (``{**os.environ, …}``,
      ``os.environ.copy()``, ``dict(os.environ)``, ``env=os.environ``): no key is read there.
    """
    problems = []
    for path in python_files("heza_geo"):
        if rel(path) == "heza_geo/config.py":
            continue
        for line, key, code in _environment_reads(path):
            if under(path, "heza_geo/cli") and key in CLI_ENVIRONMENT:
                continue
            what = f"reads {key}" if key else "reads the environment"
            problems.append(f"{rel(path)}:{line}: {what}: {code}")
    assert not problems, ("the environment read outside heza_geo/config.py (make it a Settings field in "
                          "config's table):\n" + "\n".join(problems))


_SYS_PATH_MUTATORS = {"insert", "append", "extend", "remove", "pop", "clear", "__setitem__", "__iadd__"}


def _is_sys_path(node: ast.AST, sys_names: set[str], path_names: set[str]) -> bool:
    return ((isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
             and node.value.id in sys_names) or (isinstance(node, ast.Name) and node.id in path_names))


def test_nothing_edits_sys_path() -> None:
    """The package is installed (``pip install -e .``) and pytest's ``pythonpath`` names the test
    helpers' folders, so no script or test puts a folder on sys.path itself."""
    problems = []
    for path in python_files("."):
        tree = parse(path)
        sys_names = module_aliases(tree, "sys")
        path_names = imported_names(tree, "sys", "path")
        site_names = module_aliases(tree, "site")

        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.Delete):
                targets = node.targets if isinstance(node, ast.Delete) else [node.target]
            edits = any(_is_sys_path(t, sys_names, path_names)
                        or (isinstance(t, ast.Subscript) and _is_sys_path(t.value, sys_names, path_names))
                        for t in targets)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                edits = edits or (node.func.attr in _SYS_PATH_MUTATORS
                                  and _is_sys_path(node.func.value, sys_names, path_names))
                edits = edits or (node.func.attr == "addsitedir" and isinstance(node.func.value, ast.Name)
                                  and node.func.value.id in site_names)
            if edits:
                problems.append(f"{rel(path)}:{line(node)}: {ast.unparse(node).splitlines()[0]}")
    assert not problems, ("sys.path edited (the package is installed; test helpers' folders go in "
                          "pyproject's [tool.pytest.ini_options] pythonpath):\n" + "\n".join(problems))


def _language_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Call):  # str(lang), lang.lower()
        node = node.func.value if isinstance(node.func, ast.Attribute) else (node.args[0] if node.args else node.func)
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        name = node.slice.value
    else:
        return None
    return name if LANGUAGE_NAME.match(name) else None


def _language_codes(node: ast.AST) -> list[str]:
    values = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [v.value for v in values if isinstance(v, ast.Constant) and v.value in LANGUAGE_CODES]


def test_no_language_branches() -> None:
    """No ``lang == "vi"`` branches: a park's name in the reader's language, notes, formats and words
    come from heza_geo.i18n (and its catalogs), so a sixth language is a catalog, not a hunt."""
    files = [path for path in python_files("heza_geo", "pages", "app.py")
             if rel(path) not in ("heza_geo/i18n.py", "heza_geo/config.py")]
    problems = []
    for path in files:
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for left, right in itertools.pairwise(operands):
                    for name_side, code_side in ((left, right), (right, left)):
                        name, codes = _language_name(name_side), _language_codes(code_side)
                        if name and codes:
                            problems.append(f"{rel(path)}:{node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, ast.Match) and _language_name(node.subject):
                for case in node.cases:
                    if isinstance(case.pattern, ast.MatchValue) and _language_codes(case.pattern.value):
                        problems.append(f"{rel(path)}:{case.pattern.lineno}: match {ast.unparse(node.subject)}: "
                                        f"case {ast.unparse(case.pattern)}")
    assert not problems, ("a branch on a language code (use heza_geo.i18n: names, notes and formats "
                          "per language):\n" + "\n".join(dict.fromkeys(problems)))


# --- housekeeping -----------------------------------------------------------------------------------

_NOQA = re.compile(r"#\s*noqa\b(?P<codes>\s*:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?", re.IGNORECASE)
_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]+\])?")


def _suppressions(comment: str) -> Iterator[tuple[str, str | None, str]]:
    """(kind, codes, reason) for each ``noqa`` / ``type: ignore`` in one comment; the reason is the text
    up to the next suppression, without its separators (``- …``, ``: …``, ``# …``)."""
    found = sorted([(m, "noqa") for m in _NOQA.finditer(comment)] + [(m, "type: ignore") for m in
                   _TYPE_IGNORE.finditer(comment)], key=lambda pair: pair[0].start())
    for i, (match, kind) in enumerate(found):
        end = found[i + 1][0].start() if i + 1 < len(found) else len(comment)
        reason = comment[match.end():end].strip(" \t#-–—:;,")
        yield kind, match.group("codes"), reason


def test_noqa_and_type_ignore_name_their_rule_and_reason() -> None:
    """A ``# noqa`` or ``# type: ignore`` names its rule and says why: ``# noqa: E402 - after the
    plugin registers``, ``# type: ignore[arg-type] - pandas-stubs lacks the overload``. A bare one hides
    every other problem on the line, and a reason lets the next reader remove it when it is stale."""
    problems = []
    for path in python_files(*HOUSEKEEPING):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.COMMENT:
                continue
            for kind, codes, reason in _suppressions(token.string):
                if not codes:
                    problems.append(f"{rel(path)}:{token.start[0]}: {kind} without a rule: {token.string}")
                elif not reason:
                    problems.append(f"{rel(path)}:{token.start[0]}: {kind} without a reason: {token.string}")
    assert not problems, (f"{len(problems)} suppression(s) without a rule or a reason "
                          "(write '# noqa: CODE - why' and '# type: ignore[code] - why'):\n" + "\n".join(problems))


def test_private_names_stay_in_their_module() -> None:
    """``_name`` stays in its module (STYLE.md): what another module needs is made public where it
    belongs. Checked in heza_geo, pages and app.py: ``from heza_geo.x import _name`` and
    ``module._name`` on an imported heza_geo module. Tests may reach in (to patch a hook)."""
    found = []
    modules = set(package_modules())
    for path in python_files("heza_geo", "pages", "app.py"):
        tree = parse(path)
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("heza_geo"):
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in modules:
                        aliases.add(alias.asname or alias.name)
                    elif alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{rel(path)}:{node.lineno}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Import):
                aliases.update(alias.asname or alias.name.split(".")[0] for alias in node.names
                               if alias.name.startswith("heza_geo"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id in aliases):
                found.append(f"{rel(path)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not found, "a private name used outside its module (make it public where it belongs):\n" + "\n".join(found)


def test_tests_mirror_the_package() -> None:
    """Tests mirror the package (``tests/<folder>/test_<module>.py``), plus ``tests/app`` (pages
    headless), ``tests/e2e`` (the browser), ``tests/apps`` (their probe apps) and ``tests/artifacts``."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    extra = {"app", "e2e", "apps", "artifacts"}
    tests = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert tests <= folders | extra, f"test folders with no package folder: {sorted(tests - folders - extra)}"
    loose = [p.name for p in (ROOT / "tests").glob("test_*.py")
             if p.stem.removeprefix("test_").split("_")[0] in folders]
    assert not loose, f"tests of a folder's modules belong in that folder: {loose}"


def test_no_two_test_files_share_a_name() -> None:
    """Test folders are not packages: pytest imports each test file by its name, so two files of one name in two
    folders (``tests/app/test_x.py``, ``tests/e2e/test_x.py``) stop the whole run at collection."""
    by_name: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        by_name.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert not {name: paths for name, paths in by_name.items() if len(paths) > 1}
