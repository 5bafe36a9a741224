"""Index documents of the bundled reference data: the fast builder against the plain reading."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from registry.models import Work
from registry.search.document_queries import FACT_KINDS, chunk_queries
from registry.search.documents import load_entries
from registry.services.imports import run_import
from tests.conftest import reference_file
from tests.document_reference import reference_document

FILES = [
    "ancine/obras-nao-pub-brasileiras-2023.csv",
    "ancine/obras-nao-pub-estrangeiras-2023.csv",
    "ancine/crt-obras-nao-publicitarias-2023.csv",
    "ancine/lancamentos-comerciais-por-distribuidoras.csv",
    "acau/acau-apoios-reembolsos-projetos-audiovisuais-2013-2024.csv",
    "mddf/avails/Avails_noErrors_v2.2.2.xml",
    "mddf/avails/Avails_noErrors_v2.4.xml",
    "mddf/avails-xlsx/TV_v1.8.xlsx",
    "mddf/common/VEEP_Season5_E4_mec.xml",
]
PAGE = 700


@pytest.fixture
def loaded(registry):
    """Import the reference files (no indexing) into the test database."""
    for name in FILES:
        report = run_import(registry, reference_file(name))
        assert report.reconciles()
    return registry


def _reference(session, ids: list[int]) -> dict[int, bytes]:
    """Return the plain reading's document bytes of the live works among the ids."""
    queries, params = chunk_queries(False), {"ids": ids}
    conn = session.connection()
    grouped: dict[str, dict[int, list]] = {kind: {} for kind in FACT_KINDS}
    for kind in FACT_KINDS:
        for row in conn.execute(queries[kind], params).all():
            grouped[kind].setdefault(row[0], []).append(row)
    return {
        work.id: orjson.dumps(
            reference_document(work, {kind: grouped[kind].get(work.id, []) for kind in FACT_KINDS})
        )
        for work in conn.execute(queries["works"], params).all()
        if not (work.deleted or work.merged_into)
    }


def test_documents_match_the_plain_reading_over_the_reference_data(loaded):
    with loaded.sessions() as session:
        ids = list(session.scalars(select(Work.id).order_by(Work.id)))
        assert len(ids) > 10_000
        compared = 0
        several = {kind: 0 for kind in ("contributors", "licenses", "titles", "party_ids")}
        some = {kind: 0 for kind in ("rights", "coproduction_countries", "media")}
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            expected = _reference(session, page)
            for span in (True, False):  # a range; consecutive ids, read as a range too
                entries = load_entries(session, page, span=span)
                live = {e.work_id: orjson.dumps(e.document) for e in entries if e.document}
                assert live == expected
            sparse = page[::2]  # ids with gaps: read by the list of ids
            entries = load_entries(session, sparse)
            live = {e.work_id: orjson.dumps(e.document) for e in entries if e.document}
            assert live == {i: doc for i, doc in expected.items() if i in set(sparse)}
            assert {e.work_id for e in entries} == set(sparse)
            for document in map(orjson.loads, expected.values()):
                for kind in several:
                    several[kind] += len(document[kind]) > 1
                for kind in some:
                    some[kind] += bool(document[kind])
            compared += len(expected)
    assert compared > 10_000
    # The data exercises every kind of fact and lists of several, beyond the single-fact paths.
    assert all(count > 10 for count in (several | some).values()), several | some
    _missing_works_leave_the_index(loaded, ids[-1])


def _missing_works_leave_the_index(registry, last: int) -> None:
    """Check that consecutive ids read as a range still delete the works that do not exist."""
    ids = [last - 1, last, last + 1, last + 2]
    with registry.sessions() as session:
        entries = {e.work_id: e for e in load_entries(session, ids)}
    assert sorted(entries) == ids
    assert entries[last].document is not None and entries[last].version is not None
    assert all(entries[i].document is None and entries[i].version is None for i in ids[2:])
