"""Add (or update) message keys in the template and every catalog from one TOML table.

    python scripts/add_messages.py new_keys.toml

where the file holds one table per key, with the text in every language::

    ["popup.quay"]
    en = "Quay"
    vi = "Chiều dài bến"
    ko = "안벽 길이"
    ja = "岸壁延長"
    zh = "码头岸线长度"

A key missing a language is refused, so no catalog falls behind (tests/test_i18n.py checks too).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from heza_geo.config import LANGUAGES
from heza_geo.i18n import LOCALES_DIR, catalog_path


def _update(path: Path, entries: dict[str, tuple[str, str]], locale: str | None) -> None:
    with path.open("rb") as handle:
        catalog: Catalog = read_po(handle, locale=locale)
    for key, (english, text) in entries.items():
        if key in catalog:
            catalog[key].string = text
            catalog[key].auto_comments = [english]
        else:
            catalog.add(key, text, auto_comments=[english])
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    table = tomllib.loads(Path(argv[0]).read_text(encoding="utf-8"))
    incomplete = {key: sorted(set(LANGUAGES) - set(texts)) for key, texts in table.items()
                  if set(LANGUAGES) - set(texts)}
    if incomplete:
        for key, langs in incomplete.items():
            print(f"{argv[0]}: key '{key}' has no text for {', '.join(langs)}", file=sys.stderr)
        return 1
    _update(LOCALES_DIR / "heza.pot", {k: (v["en"], "") for k, v in table.items()}, None)
    for lang in LANGUAGES:
        _update(catalog_path(lang), {k: (v["en"], v[lang]) for k, v in table.items()}, lang)
    print(f"added or updated {len(table)} keys in heza.pot and {len(LANGUAGES)} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
