"""Validate identifiers of works and parties and bring them to one canonical form."""

from __future__ import annotations

import re
from collections.abc import Callable

from schemas.checksums import cnpj_check_digits, mod11_2, mod37_36, rut_check_digit
from schemas.errors import IdentifierError

SCHEMES: tuple[str, ...] = (
    "isan",
    "eidr",
    "br_cpb",
    "br_roe",
    "br_crt",
    "ancine_agent",
    "uy_acau",
    "imdb",
    "alid",
    "br_cnpj",
    "uy_rut",
    "isni",
    "eidr_party",
)
PROPRIETARY_PREFIX = "proprietary:"

EIDR_CONTENT_PREFIX = "10.5240"
EIDR_PARTY_PREFIXES = ("10.5237", "10.5238", "10.5239")

_HEX = "0123456789ABCDEF"
_ISAN_PREFIX = re.compile(r"^(?:URN:ISAN:|ISAN[\s:]*)")
_EIDR_FORM = re.compile(r"^(?:URN:EIDR:)?(10\.\d{4})[:/](.*)$")
_EIDR_CONTENT_ID = re.compile(r"^MD:CID:EIDR-S:(.*)$")
_CNPJ_FORMATTED = re.compile(r"^(\d{2})\.(\d{3})\.(\d{3})/(\d{4})-(\d{2})$")
_CNPJ_BARE = re.compile(r"^\d{14}$")
_CRT = re.compile(r"^(?:19|20)\d{14}$")
_IMDB = re.compile(r"^(?:tt|nm)\d{7,}$")
_ISNI = re.compile(r"^\d{15}[\dX]$")


def _compact(value: str, drop: str = " -") -> str:
    """Return value upper-cased with surrounding space and the given separators removed."""
    text = value.strip().upper()
    for char in drop:
        text = text.replace(char, "")
    return text


def _require_hex(original: str, chunk: str, label: str) -> None:
    """Raise unless every character of chunk is a hexadecimal digit."""
    bad = sorted({char for char in chunk if char not in _HEX})
    if bad:
        raise IdentifierError(
            f"{original!r}: the {label} must be hexadecimal digits (0-9, A-F); "
            f"found {''.join(bad)!r}"
        )


def _require_check(original: str, found: str, payload: str, label: str) -> None:
    """Raise when found is not the MOD 37,36 check character of payload."""
    expected = mod37_36(payload)
    if found != expected:
        raise IdentifierError(
            f"{original!r}: {label} is {found!r} but the digits before it require {expected!r}"
        )


def _group(text: str, size: int = 4) -> str:
    """Split text into hyphen-joined groups of size characters."""
    return "-".join(text[i : i + size] for i in range(0, len(text), size))


def normalize_isan(value: str) -> str:
    """Return an ISAN in the hyphenated upper-case form after checking both check characters."""
    text = _ISAN_PREFIX.sub("", value.strip().upper())
    compact = _compact(text)
    if len(compact) not in (17, 26):
        raise IdentifierError(
            f"{value!r} is not an ISAN: expected 16 hex digits and a check character, optionally "
            f"followed by 8 hex version digits and a second check character "
            f"(XXXX-XXXX-XXXX-XXXX-C[-XXXX-XXXX-D]); got {len(compact)} characters"
        )
    work = compact[:16]
    _require_hex(value, work, "root and episode")
    _require_check(value, compact[16], work, "the first check character")
    short = f"{_group(work)}-{compact[16]}"
    if len(compact) == 17:
        return short
    version = compact[17:25]
    _require_hex(value, version, "version")
    _require_check(value, compact[25], work + version, "the second check character")
    return f"{short}-{_group(version)}-{compact[25]}"


def _split_eidr(value: str) -> tuple[str, str]:
    """Return the DOI prefix and the upper-cased suffix of an EIDR in any accepted form."""
    text = value.strip().upper()
    content_id = _EIDR_CONTENT_ID.match(text)
    if content_id:
        return EIDR_CONTENT_PREFIX, content_id.group(1).strip()
    match = _EIDR_FORM.match(text)
    if not match:
        raise IdentifierError(
            f"{value!r} is not an EIDR: expected '10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C', "
            f"'urn:eidr:10.5240:XXXX-XXXX-XXXX-XXXX-XXXX-C' or 'md:cid:eidr-s:XXXX-...-C'"
        )
    return match.group(1), match.group(2).strip()


def normalize_eidr(value: str) -> str:
    """Return a content EIDR as 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C after checking it."""
    prefix, suffix = _split_eidr(value)
    if prefix != EIDR_CONTENT_PREFIX:
        raise IdentifierError(
            f"{value!r}: content EIDRs use the prefix {EIDR_CONTENT_PREFIX}, not {prefix} "
            f"(party and service ids go under the eidr_party scheme)"
        )
    compact = _compact(suffix)
    if len(compact) != 21:
        raise IdentifierError(
            f"{value!r}: an EIDR suffix has 20 hex digits and a check character "
            f"(XXXX-XXXX-XXXX-XXXX-XXXX-C); got {len(compact)} characters"
        )
    _require_hex(value, compact[:20], "20 digits")
    _require_check(value, compact[20], compact[:20], "the check character")
    return f"{prefix}/{_group(compact[:20])}-{compact[20]}"


def normalize_eidr_party(value: str) -> str:
    """Return an EIDR party, user or video-service id as 10.523x/XXXX-XXXX."""
    prefix, suffix = _split_eidr(value)
    if prefix not in EIDR_PARTY_PREFIXES:
        raise IdentifierError(
            f"{value!r}: EIDR party ids use the prefix 10.5237 (10.5238 users, "
            f"10.5239 video services), not {prefix}"
        )
    compact = _compact(suffix)
    if len(compact) != 8:
        raise IdentifierError(
            f"{value!r}: an EIDR party id has 8 hex digits after the prefix (XXXX-XXXX); "
            f"got {len(compact)} characters"
        )
    _require_hex(value, compact, "8 digits")
    return f"{prefix}/{_group(compact)}"


def is_cnpj_like(text: str) -> bool:
    """Tell whether text has the shape of a CNPJ (formatted or 14 digits), checks aside."""
    stripped = text.strip()
    return bool(_CNPJ_FORMATTED.match(stripped) or _CNPJ_BARE.match(stripped))


def normalize_cnpj(value: str) -> str:
    """Return a Brazilian CNPJ as 99.999.999/9999-99 after checking both check digits."""
    stripped = value.strip()
    if not is_cnpj_like(stripped):
        raise IdentifierError(
            f"{value!r} is not a CNPJ: expected '99.999.999/9999-99' or 14 digits"
        )
    digits = re.sub(r"\D", "", stripped)
    if len(set(digits)) == 1:
        raise IdentifierError(f"{value!r} is not a CNPJ: all digits are the same")
    expected = cnpj_check_digits(digits[:12])
    if digits[12:] != expected:
        raise IdentifierError(
            f"{value!r}: CNPJ check digits are {digits[12:]!r} but the first 12 digits "
            f"require {expected!r}"
        )
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


def normalize_rut(value: str) -> str:
    """Return a Uruguayan RUT as 12 digits after checking its mod 11 check digit."""
    digits = _compact(value, " .-")
    if not digits.isdigit():
        raise IdentifierError(f"{value!r} is not a RUT: expected 12 digits")
    if len(digits) != 12:
        hint = " (a leading zero may have been lost)" if len(digits) == 11 else ""
        raise IdentifierError(
            f"{value!r} is not a RUT: expected 12 digits, got {len(digits)}{hint}"
        )
    expected = rut_check_digit(digits[:11])
    if expected is None:
        raise IdentifierError(
            f"{value!r} is not a RUT: its first 11 digits give no valid check digit"
        )
    if int(digits[11]) != expected:
        raise IdentifierError(
            f"{value!r}: RUT check digit is {digits[11]!r} but the first 11 digits "
            f"require '{expected}'"
        )
    return digits


def normalize_isni(value: str) -> str:
    """Return an ISNI as 16 characters after checking its ISO 7064 MOD 11-2 check."""
    text = value.strip().upper()
    text = text.removeprefix("ISNI").lstrip(": ")
    compact = _compact(text)
    if not _ISNI.match(compact):
        raise IdentifierError(
            f"{value!r} is not an ISNI: expected 15 digits and a check character (0-9 or X)"
        )
    expected = mod11_2(compact[:15])
    if compact[15] != expected:
        raise IdentifierError(
            f"{value!r}: ISNI check character is {compact[15]!r} but the first 15 digits "
            f"require {expected!r}"
        )
    return compact


def _pattern_normalizer(
    pattern: re.Pattern[str], expected: str, transform: Callable[[str], str]
) -> Callable[[str], str]:
    """Build a normaliser that transforms the value and requires it to match pattern."""

    def normalize(value: str) -> str:
        """Return the transformed value or raise when it does not match the pattern."""
        text = transform(value)
        if not pattern.match(text):
            raise IdentifierError(f"{value!r} is not valid: expected {expected}")
        return text

    return normalize


def _trimmed_text(value: str) -> str:
    """Return value without surrounding whitespace, refusing empty text."""
    text = value.strip()
    if not text:
        raise IdentifierError("the identifier is empty: expected some text")
    return text


def _no_spaces_upper(value: str) -> str:
    """Return value upper-cased with every whitespace character removed."""
    return re.sub(r"\s+", "", value).upper()


def _ancine_agent(value: str) -> str:
    """Return an ANCINE agent registration number, which is digits only."""
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise IdentifierError(f"{value!r} is not an ANCINE agent registration: expected digits")
    return text


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "isan": normalize_isan,
    "eidr": normalize_eidr,
    "eidr_party": normalize_eidr_party,
    "br_cpb": _pattern_normalizer(
        re.compile(r"^B\d{13}$"), "'B' and 13 digits (e.g. B2300198200000)", _no_spaces_upper
    ),
    "br_roe": _pattern_normalizer(
        re.compile(r"^E\d{13}$"), "'E' and 13 digits (e.g. E2300199600000)", _no_spaces_upper
    ),
    "br_crt": _pattern_normalizer(
        _CRT, "16 digits starting with the request year (e.g. 2023044701000000)", _no_spaces_upper
    ),
    "ancine_agent": _ancine_agent,
    "uy_acau": _trimmed_text,
    "imdb": _pattern_normalizer(
        _IMDB, "'tt' or 'nm' and at least 7 digits (e.g. tt0111161)", lambda v: v.strip().lower()
    ),
    "alid": _trimmed_text,
    "br_cnpj": normalize_cnpj,
    "uy_rut": normalize_rut,
    "isni": normalize_isni,
}


def normalize_scheme(scheme: str) -> str:
    """Return the scheme in its registered spelling or raise IdentifierError."""
    text = scheme.strip()
    lowered = text.lower()
    if lowered in _NORMALIZERS:
        return lowered
    if lowered.startswith(PROPRIETARY_PREFIX):
        namespace = text[len(PROPRIETARY_PREFIX) :]
        if namespace and namespace.isprintable() and not any(c.isspace() for c in namespace):
            return PROPRIETARY_PREFIX + namespace
        raise IdentifierError(
            f"{scheme!r}: a proprietary scheme needs a namespace without spaces, "
            f"e.g. 'proprietary:acme.com'"
        )
    raise IdentifierError(
        f"unknown identifier scheme {scheme!r}: expected one of {', '.join(SCHEMES)} "
        f"or 'proprietary:<namespace>'"
    )


def normalize_identifier(scheme: str, value: str) -> str:
    """Return value in the canonical form of scheme or raise IdentifierError with the reason."""
    canonical_scheme = normalize_scheme(scheme)
    if not isinstance(value, str):
        raise IdentifierError(f"{canonical_scheme} identifier must be text, not {value!r}")
    normalizer = _NORMALIZERS.get(canonical_scheme, _trimmed_text)
    return normalizer(value)


def unverified_form(scheme: str, value: str) -> str:
    """Return how to keep a value that failed its scheme's check: its usual spelling if it has one.

    An EIDR or ISAN whose only fault is its check character is spelled as a verified one would
    be (10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C, XXXX-XXXX-XXXX-XXXX-C), so that every source giving
    it, in any accepted form, states the same value; anything else is kept as given, trimmed.
    """
    text = value.strip()
    try:
        if scheme == "eidr":
            prefix, suffix = _split_eidr(text)
            compact = _compact(suffix)
            if prefix == EIDR_CONTENT_PREFIX and len(compact) == 21 and compact.isalnum():
                return f"{prefix}/{_group(compact[:20])}-{compact[20]}"
        if scheme == "isan":
            compact = _compact(_ISAN_PREFIX.sub("", text.upper()))
            if len(compact) in (17, 26) and compact.isalnum():
                short = f"{_group(compact[:16])}-{compact[16]}"
                return (
                    short
                    if len(compact) == 17
                    else f"{short}-{_group(compact[17:25])}-{compact[25]}"
                )
    except IdentifierError:
        pass
    return text
