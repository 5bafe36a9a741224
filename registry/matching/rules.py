"""Hard rules of linkage that no model score can overrule."""

from __future__ import annotations

from collections.abc import Iterable

from registry.services.records import is_placeholder

# One agency never gives one work two numbers: ANCINE's CPB (Brazilian) and ROE (foreign works),
# ACAU's title id; EIDR and ISAN are unique by design.
EXCLUSIVE_SCHEMES = ("eidr", "isan", "br_cpb", "br_roe", "uy_acau")


def usable(scheme: str, value: str, verified: bool | None = True) -> bool:
    """Tell whether an identifier may serve as evidence: verified and not a placeholder."""
    return verified is not False and bool(value) and not is_placeholder(scheme, value)


def conflicts(left: Iterable[tuple[str, str]], right: Iterable[tuple[str, str]]) -> bool:
    """Tell whether two sets of identifiers hold different values of one exclusive scheme."""
    by_scheme: dict[str, set[str]] = {}
    for scheme, value in left:
        if scheme in EXCLUSIVE_SCHEMES:
            by_scheme.setdefault(scheme, set()).add(value)
    for scheme, value in right:
        if scheme in EXCLUSIVE_SCHEMES and scheme in by_scheme and value not in by_scheme[scheme]:
            return True
    return False
