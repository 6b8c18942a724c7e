"""One error root: every error heza-geo raises on purpose is a :class:`heza_geo.errors.HezaError`
and also the builtin it resembles, and is defined in ``heza_geo/errors.py`` only, so a page or the
command line catches the root and shows one line."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

from heza_geo import errors
from heza_geo.cli import main

PACKAGE = Path(errors.__file__).resolve().parent
ERRORS = [getattr(errors, name) for name in errors.__all__ if isinstance(getattr(errors, name), type)
          and issubclass(getattr(errors, name), BaseException)]
BUILTIN_ERRORS = tuple(v for v in vars(builtins).values() if isinstance(v, type) and issubclass(v, Exception)
                       and v is not Exception)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_every_error_is_a_heza_error_and_the_builtin_it_resembles(error: type) -> None:
    assert issubclass(error, errors.HezaError)
    if error is not errors.HezaError:
        assert issubclass(error, BUILTIN_ERRORS), f"{error.__name__} subclasses no builtin error (ValueError, OSError…)"


def test_no_module_but_errors_defines_an_exception() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                         for b in node.bases}
                if any(base.endswith(("Error", "Exception")) or base in {e.__name__ for e in ERRORS} for base in bases):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: class {node.name}")
    assert not found, "errors are defined in heza_geo/errors.py, under HezaError:\n" + "\n".join(found)


def test_a_malformed_setting_reaches_the_command_line_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "heza.toml"
    config.write_text('max_upload_mb = "lots"\n', encoding="utf-8")
    monkeypatch.setenv("HEZA_CONFIG", str(config))
    code = main(["validate"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().count("\n") == 0 and "max_upload_mb" in err and "Traceback" not in err


def test_a_refusal_of_the_store_reaches_the_command_line_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "store.gpkg"
    broken.write_bytes(b"this is not a GeoPackage, nor any SQLite file")
    monkeypatch.setenv("HEZA_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("HEZA_STORE_PATH", str(broken))
    code = main(["user", "list"])
    err = capsys.readouterr().err
    assert code != 0
    # the operator at the server's console is told which file (the public never is: tests/test_public_messages.py)
    assert err.strip().count("\n") == 0 and "not a GeoPackage store" in err and "Traceback" not in err


def _problem_keys() -> dict[str, list[str]]:
    """Every message key written in the package (``"problem.…"``), with where; a key built from pieces
    (an f-string, a concatenation) is listed as ``<not a literal>``, since no test could check it."""
    keys: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("problem."):
                keys.setdefault(node.value, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "problem"
                  and len(node.args) >= 3 and isinstance(node.args[2], (ast.JoinedStr, ast.BinOp))):
                keys.setdefault("<not a literal>", []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return keys


def test_every_problem_key_is_in_every_catalog() -> None:
    """A rule cannot ship in English only: each key a problem is made with is translated in every language."""
    from heza_geo import i18n

    keys = _problem_keys()
    assert "<not a literal>" not in keys, keys.get("<not a literal>")
    assert len(keys) > 50  # the scan finds the rules
    missing = [f"{key} ({lang}), used at {', '.join(where)}" for key, where in keys.items()
               for lang in i18n.LANGUAGES if not i18n.has_translation(key, lang)]
    assert not missing, "problem keys missing from a catalog:\n" + "\n".join(missing)


def test_no_module_makes_a_problem_without_a_message_key() -> None:
    """Problems are made with ``heza_geo.io.validation.problem`` (a key and parameters), never with
    free English text."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Problem":
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert [where.split(":")[0] for where in found] == ["heza_geo/io/validation.py"], found  # the factory's own
