"""Map MovieLabs Content IDs and AltIdentifiers onto the registry's identifier schemes."""

from __future__ import annotations

import re
from typing import Any

from schemas.identifiers import EIDR_CONTENT_PREFIX, normalize_identifier, unverified_form

CID_PREFIX = "md:cid:"
_EIDR_SUFFIX = re.compile(r"^[0-9A-Fa-f]{4}(?:-?[0-9A-Fa-f]{4}){4}-?[0-9A-Za-z]$")
_SCHEME_BY_NAMESPACE = {
    "eidr": "eidr",
    "eidr-s": "eidr",
    "eidr-urn": "eidr",
    "imdb": "imdb",
    "isan": "isan",
    "alid": "alid",
}


class ContentIdError(ValueError):
    """A Content ID or AltIdentifier that cannot become a valid registry identifier."""


def _eidr_value(text: str) -> str:
    """Return a full EIDR DOI from a suffix, a DOI or a URN."""
    text = text.strip()
    if _EIDR_SUFFIX.match(text):
        return f"{EIDR_CONTENT_PREFIX}/{text}"
    return text


def _prepared(scheme: str, value: str) -> dict[str, str]:
    """Return the identifier with its value in a form its scheme's check can read."""
    if scheme == "eidr":
        value = _eidr_value(value)
    return {"scheme": scheme, "value": value.strip()}


def checked_identifier(scheme: str, value: str) -> tuple[dict[str, Any], str | None]:
    """Return the identifier in canonical form, or kept unverified with the reason.

    MovieLabs' validator treats an identifier failing its checksum or syntax as a problem of
    the identifier, not of the record: the record is stored and the identifier is marked
    ``verified: False`` so that it is shown but never used to join works.
    """
    try:
        return {"scheme": scheme, "value": normalize_identifier(scheme, value)}, None
    except ValueError as exc:
        kept = unverified_form(scheme, value)
        return {"scheme": scheme, "value": kept, "verified": False}, str(exc)


def _proprietary_scheme(namespace: str) -> str:
    """Return a proprietary scheme name for a namespace, with whitespace made safe."""
    return "proprietary:" + "-".join(namespace.split())


def content_identifier(content_id: str) -> dict[str, str] | None:
    """Return the identifier a Content ID names (unchecked), None when it follows no scheme.

    ``md:cid:eidr-s:<suffix>``, ``md:cid:eidr-urn:urn:eidr:...`` and ``md:cid:eidr:10.5240/...``
    give an EIDR; ``isan``, ``imdb`` and ``alid`` map to their schemes; ``md:cid:org:<org>:<id>``
    and ``md:cid:<domain>:<id>`` give ``proprietary:<org>``; other namespaces (``eidr-x``,
    ``upc``...) give ``proprietary:<namespace>``. A bare EIDR DOI or URN is accepted too.
    """
    text = content_id.strip()
    lowered = text.lower()
    if not lowered.startswith(CID_PREFIX):
        if lowered.startswith(("urn:eidr:", EIDR_CONTENT_PREFIX + "/")):
            return _prepared("eidr", text)
        return None
    namespace, _, ssid = text[len(CID_PREFIX) :].partition(":")
    namespace_key = namespace.lower()
    if not namespace or not ssid.strip():
        raise ContentIdError(
            f"{content_id!r} is not a Content ID: expected 'md:cid:<namespace>:<identifier>'"
        )
    if namespace_key == "org":
        org, _, local_id = ssid.partition(":")
        if not org or not local_id.strip():
            raise ContentIdError(
                f"{content_id!r}: an organisation Content ID is 'md:cid:org:<org>:<identifier>'"
            )
        return {"scheme": _proprietary_scheme(org), "value": local_id.strip()}
    scheme = _SCHEME_BY_NAMESPACE.get(namespace_key)
    if scheme:
        return _prepared(scheme, ssid)
    return {"scheme": _proprietary_scheme(namespace), "value": ssid.strip()}


def alt_identifier(namespace: str, identifier: str) -> dict[str, str]:
    """Return the identifier of an AltIdentifier (Namespace + Identifier), unchecked."""
    original = f"{namespace}: {identifier}"
    if not namespace.strip() or not identifier.strip():
        raise ContentIdError(f"{original!r}: both Namespace and Identifier must have a value")
    scheme = _SCHEME_BY_NAMESPACE.get(namespace.strip().lower())
    if scheme:
        return _prepared(scheme, identifier)
    if identifier.strip().lower().startswith(CID_PREFIX):
        found = content_identifier(identifier)
        if found:
            return found
    return {"scheme": _proprietary_scheme(namespace), "value": identifier.strip()}
