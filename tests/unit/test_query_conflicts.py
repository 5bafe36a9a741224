"""Licence conflicts are found by a sweep, agree with the pairwise definition, and are bounded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.services.availability import MAX_CONFLICTS, exclusive_conflicts, share_conflicts


@dataclass
class Lic:
    """The fields of a stored licence that conflict detection reads."""

    id: int
    licensee_party_id: int | None
    exclusive: bool | None
    media: list[str] = field(default_factory=lambda: ["svod"])
    territories: list[str] = field(default_factory=lambda: ["AR"])
    start: date | None = date(2026, 1, 1)
    end: date | None = date(2026, 12, 31)
    status: str = "active"


def pairwise(licenses: list[Lic]) -> set[tuple[int, int]]:
    """Return the conflicting pairs by the definition: every pair compared."""
    found = set()
    live = [
        lic
        for lic in licenses
        if lic.status in ("active", "expired") and (lic.start or date.min) <= (lic.end or date.max)
    ]
    for a, b in combinations(sorted(live, key=lambda lic: lic.id), 2):
        shared = set(a.media) & set(b.media) and set(a.territories) & set(b.territories)
        overlap = (a.start or date.min) <= (b.end or date.max) and (b.start or date.min) <= (
            a.end or date.max
        )
        if (
            (a.exclusive or b.exclusive)
            and shared
            and overlap
            and a.licensee_party_id != b.licensee_party_id
        ):
            found.add((a.id, b.id))
    return found


DAY = date(2026, 1, 1)
licences = st.lists(
    st.builds(
        Lic,
        id=st.integers(1, 10_000),
        licensee_party_id=st.sampled_from([None, 1, 2, 3]),
        exclusive=st.sampled_from([None, True, False]),
        media=st.lists(st.sampled_from(["svod", "tvod", "theatrical"]), min_size=1, max_size=2),
        territories=st.lists(st.sampled_from(["AR", "UY", "BR"]), min_size=1, max_size=2),
        start=st.one_of(st.none(), st.integers(0, 60).map(lambda d: DAY + timedelta(days=d))),
        end=st.one_of(st.none(), st.integers(30, 90).map(lambda d: DAY + timedelta(days=d))),
        status=st.sampled_from(["active", "expired", "withdrawn"]),
    ),
    max_size=12,
    unique_by=lambda lic: lic.id,
)


@settings(max_examples=300)
@given(licences)
def test_the_sweep_finds_exactly_the_pairwise_conflicts(items):
    found = exclusive_conflicts(items, limit=10_000)
    assert {tuple(c["licenses"]) for c in found} == pairwise(items)
    assert [c["licenses"] for c in found] == sorted(c["licenses"] for c in found)


def test_conflicts_are_bounded_when_every_licence_overlaps_every_other():
    items = [Lic(id=n, licensee_party_id=n, exclusive=True) for n in range(1, 401)]
    found = exclusive_conflicts(items)
    assert len(found) == MAX_CONFLICTS  # 79,800 pairs conflict; the answer lists the first ones


def test_one_licensee_renewing_exclusive_licences_is_no_conflict():
    items = [Lic(id=n, licensee_party_id=7, exclusive=True) for n in range(1, 2001)]
    assert exclusive_conflicts(items) == []


def test_shares_over_100_are_bounded_and_list_few_rights():
    @dataclass
    class Holding:
        id: int
        right_type: str = "economic"
        share_pct: float | None = 60.0
        territories: list[str] = field(default_factory=lambda: ["AR"])

    found = share_conflicts([Holding(id=n) for n in range(1, 501)])
    assert len(found) == 1 and found[0]["total_pct"] == 30000.0
    assert len(found[0]["rights"]) <= 50
