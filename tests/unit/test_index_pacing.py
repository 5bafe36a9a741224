"""A work touched by chunk after chunk is indexed once, at the end of the file."""

from __future__ import annotations

from registry.services.index_pacing import PacedIndexing


def test_works_touched_again_wait_for_the_end_and_others_go_at_once():
    sent: list[set[int]] = []

    def record(ids: set[int]) -> tuple[int, int]:
        sent.append(set(ids))
        return len(ids), 0

    paced = PacedIndexing(record)
    assert paced({1, 2}) == (2, 0)
    assert paced({1, 3}) == (1, 0), "work 1 was in the previous chunk: it waits"
    assert paced({4}) == (1, 0)
    assert paced({1, 5}) == (1, 0), "once waiting, a work keeps waiting"
    assert paced({2}) == (1, 0), "work 2 was two chunks back: indexed again at once"
    assert paced({1}) == (0, 0), "only waiting works: the indexer is not called"
    assert paced.finish() == (1, 0)
    assert sent == [{1, 2}, {3}, {4}, {5}, {2}, {1}]
    assert paced.finish() is None, "nothing waits twice"
