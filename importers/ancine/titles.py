"""Titles as ANCINE writes them: article-last forms and a cautious Portuguese guess."""

from __future__ import annotations

import re
from typing import Any

from importers.ancine.text import fold

ARTICLES = (
    "O", "A", "OS", "AS", "UM", "UMA", "UNS", "UMAS",  # Portuguese
    "EL", "LA", "LOS", "LAS", "UN", "UNA", "UNOS", "UNAS",  # Spanish
    "THE", "AN",  # English ("A" above)
    "LE", "LES", "IL",  # French and Italian, seen in the files
)  # fmt: skip
_ARTICLE_LAST = re.compile(
    rf"^(?P<body>.*\S),\s*(?P<article>{'|'.join(ARTICLES)})\s*(?P<rest>(?:[:(\[\-–—].*)?)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_PORTUGUESE_LETTERS = frozenset("ãõ")
_PORTUGUESE_WORD_LIST = (
    "o os do da dos das ao aos na nas num numa um uma uns umas e em com nao sao voce "
    "meu minha meus minhas pelo pela pelos pelas isso esse essa coracao brasil"
)
_FOREIGN_WORD_LIST = (
    "the of and you your my is it to with this that what we be are from "
    "love night baby girl boy day time one all world life home new big little man woman "
    "people story inside out up down go just don can "
    "el la lo los las y del al con su sus mi yo muy pero una unos es otra otro hay "
    "le les du des et une je"
)
_PORTUGUESE_WORDS = frozenset(_PORTUGUESE_WORD_LIST.split())
_FOREIGN_WORDS = frozenset(_FOREIGN_WORD_LIST.split())


def article_first(text: str) -> str | None:
    """Return 'O VESTIDO' for 'VESTIDO, O' (also before a subtitle), else None."""
    match = _ARTICLE_LAST.match(text.strip())
    if not match:
        return None
    body, article, rest = match.group("body"), match.group("article"), match.group("rest")
    moved = f"{article} {body}"
    if rest:
        moved += rest if rest[0] == ":" else f" {rest}"
    return moved


def guess_portuguese(text: str) -> str | None:
    """Return 'pt' unless the title is plainly in another language, then None."""
    words = set(_WORD.findall(text.casefold()))
    if _PORTUGUESE_LETTERS & set(text.casefold()) or {fold(w) for w in words} & _PORTUGUESE_WORDS:
        return "pt"
    if words & _FOREIGN_WORDS:
        return None
    return "pt"


def title_entries(
    text: str | None,
    language: str | None,
    kind: str = "original",
    territory: str | None = None,
) -> list[dict[str, Any]]:
    """Return the title as stated plus its article-first alternative when it has one."""
    if not text:
        return []
    entries = [{"text": text, "language": language, "kind": kind, "territory": territory}]
    moved = article_first(text)
    if moved:
        entries.append(
            {"text": moved, "language": language, "kind": "alternative", "territory": territory}
        )
    return entries


def work_titles(
    original: str | None, brazilian: str | None, brazilian_work: bool
) -> list[dict[str, Any]]:
    """Return the original title and, when stated, TITULO_BRASIL as the local title for BR."""
    original_language = guess_portuguese(original) if brazilian_work and original else None
    titles = title_entries(original, original_language)
    if brazilian:
        same = fold(brazilian) == fold(original)
        language = original_language if same else "pt"
        titles += title_entries(brazilian, language, "local", "BR")
    return titles
