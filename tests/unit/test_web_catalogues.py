"""Every visible string of the pages is translated in every catalogue, and the .mo files agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "registry" / "web" / "translations"
LOCALES = ("pt_BR", "es")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def source_messages() -> set[str | tuple[str, ...]]:
    """Extract every translatable string from the web package, as babel.cfg says."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.fixture(scope="module")
def messages() -> set[str | tuple[str, ...]]:
    """Return the strings of the sources (there are hundreds)."""
    found = source_messages()
    assert len(found) > 200
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_translates_every_string(locale, messages):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message in messages:
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = entry.string if entry else None
        if isinstance(strings, tuple):
            complete = len(strings) == catalogue.num_plurals and all(strings)
        else:
            complete = bool(strings)
        if entry is None or not complete or entry.fuzzy:
            missing.append(msgid)
    assert not missing, f"{locale} lacks {len(missing)} translations: {sorted(missing)[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    for entry in catalogue:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) - {"num"}
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) - {"num"} == wanted, (entry.id, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source


def _key(value: str | list | tuple) -> str | tuple:
    """Return a message id or string in one comparable form."""
    return value if isinstance(value, str) else tuple(value)


def test_a_missing_string_is_noticed(tmp_path):
    (tmp_path / "page.py").write_text(
        'from flask_babel import gettext as _\n_("Brand new words")\n'
    )
    found = {m for _f, _l, m, _c, _x in extract_from_dir(str(tmp_path), keywords=KEYWORDS)}
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    assert found == {"Brand new words"} and catalogue.get("Brand new words") is None
