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


#: where the message key is among the arguments of the functions that take one
_KEY_AT = {"problem": 2, "refusal": 1, "note": 0}


def _problem_keys() -> dict[str, list[str]]:
    """Every message key of a problem or an import's note written in the package (``"problem.…"``,
    ``"note.…"``), with where; a key built from pieces (an f-string, a concatenation) is listed as
    ``<not a literal>``, since no test could check it."""
    keys: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(
                    ("problem.", "note.")):
                keys.setdefault(node.value, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _KEY_AT:
                at = _KEY_AT[node.func.id]  # problem(file, layer, key, …), refusal(error, key, …)
                if len(node.args) > at and isinstance(node.args[at], (ast.JoinedStr, ast.BinOp)):
                    keys.setdefault("<not a literal>", []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return keys


def test_every_problem_key_is_in_every_catalog() -> None:
    """A rule cannot ship in English only: each key a problem is made with is translated in every language."""
    from heza_geo import i18n

    keys = _problem_keys()
    assert "<not a literal>" not in keys, keys.get("<not a literal>")
    assert len(keys) > 50 and len([key for key in keys if key.startswith("note.")]) >= 6  # the scan finds them
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


def test_every_note_of_an_import_is_made_with_a_message_key() -> None:
    """An import's notes (``PreparedImport.notes``) are shown on the staff page in its reader's language, so
    each is made with ``heza_geo.io.validation.note`` (a key and parameters): a note appended as plain
    English text (``notes.append("…")``, an f-string) cannot ship, nor a :class:`~heza_geo.errors.Note`
    made by hand outside the factory."""
    found, made = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AugAssign) and "notes" in ast.unparse(node.target).split(".")[-1:]:
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)[:100]}")  # notes += […]: say each with note()
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "Note":
                made.append(str(where))
            if not (isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend", "insert")):
                continue
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if name != "notes":
                continue
            given = node.args[-1] if node.args else None
            if not (node.func.attr != "extend" and isinstance(given, ast.Call) and isinstance(given.func, ast.Name)
                    and given.func.id == "note"):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, ("a note without a message key (notes.append(note('note.…', …)) from "
                       "heza_geo.io.validation):\n" + "\n".join(found))
    assert made == ["heza_geo/io/validation.py"] * len(made) and made, made  # the factory's own


def test_every_refusal_of_a_file_carries_a_message_key() -> None:
    """A file refused before it is read (:class:`ReadError`, :class:`UnsafeFile`) is refused with a catalog
    key (``heza_geo.io.validation.refusal``) or with problems that have one, never with English text alone:
    the staff page says it in its reader's language, so a new refusal cannot ship in English only."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            given = {keyword.arg for keyword in node.keywords}
            if name in ("ReadError", "UnsafeFile") and not given & {"key", "problems"}:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, ("a refusal without a message key (raise refusal(ReadError, 'problem.…', …) from "
                       "heza_geo.io.validation):\n" + "\n".join(found))


@pytest.mark.parametrize("error", [errors.ReadError, errors.UnsafeFile], ids=lambda e: e.__name__)
def test_a_refusal_reads_in_english_on_the_command_line_and_becomes_a_problem_with_its_key(error: type) -> None:
    from heza_geo.io.validation import refusal, refusal_problem

    refused = refusal(error, "problem.zip_ratio", member="plots.shp", ratio=1029, cap=200)
    assert str(refused) == "member 'plots.shp' is compressed 1029 times; more than 200 looks like a zip bomb"
    found = refusal_problem("p.zip", "plots", refused)
    assert (found.key, found.params) == ("problem.zip_ratio", (("member", "plots.shp"), ("ratio", "1029"),
                                                               ("cap", "200")))
    assert str(found) == f"p.zip, layer 'plots': {refused}"


def test_an_error_without_a_key_is_shown_as_english_words() -> None:
    from heza_geo import i18n
    from heza_geo.io.validation import refusal_problem

    found = refusal_problem("p.csv", "plots", ValueError("could not convert string to float: 'abc'\nmore"))
    assert found.key == "problem.read" and found.message == "could not convert string to float: 'abc'"
    assert i18n.problem_text(found, "vi") == ("không dùng được tệp: (Bản gốc tiếng Anh) "
                                              "“could not convert string to float: 'abc'”")
