"""The XML streamer's memory stays bounded by one record: skipped content is freed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from importers.base import UnreadableFile
from importers.xmlsafe import XmlLimits, iter_elements


def _document(path: Path, records: int, skipped_children: int) -> Path:
    """Write a list whose records alternate with large elements nobody asked for."""
    noise = "<other>" + "<x>0123456789</x>" * skipped_children + "</other>"
    body = "".join(f"{noise}<item><v>{n}</v></item>" for n in range(records))
    path.write_text(f"<list><head>{noise}</head>{body}<tail>{noise}</tail></list>", "utf-8")
    return path


def test_skipped_elements_are_emptied_as_soon_as_they_end(tmp_path: Path) -> None:
    path = _document(tmp_path / "noisy.xml", records=50, skipped_children=500)
    kept_children = []
    for item in iter_elements(path, "item"):
        earlier = [*item.itersiblings(preceding=True)]
        kept_children.append(sum(len(e) for e in earlier))
        assert item.findtext("v") is not None
    assert len(kept_children) == 50
    assert max(kept_children) == 0


def test_records_keep_their_content_and_position(tmp_path: Path) -> None:
    path = _document(tmp_path / "noisy.xml", records=5, skipped_children=3)
    seen = [(item.findtext("v"), item.sourceline) for item in iter_elements(path, "item")]
    assert [value for value, _ in seen] == ["0", "1", "2", "3", "4"]


def test_too_many_elements_between_two_records_are_refused(tmp_path: Path) -> None:
    many_gaps = _document(tmp_path / "gaps.xml", records=50, skipped_children=50)
    limits = XmlLimits(max_skipped_elements=110)  # 51 to 103 between records, 2,600 in all
    assert len(list(iter_elements(many_gaps, "item", limits))) == 50
    one_gap = tmp_path / "gap.xml"
    noise = "<other>" + "<x>0</x>" * 200 + "</other>"
    one_gap.write_text(f"<list><item/>{noise}<item/></list>", encoding="utf-8")
    seen = 0
    with pytest.raises(UnreadableFile, match="more than 110 elements outside the records in a row"):
        for _ in iter_elements(one_gap, "item", limits):
            seen += 1
    assert seen == 1


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            "<list><p:item/></list>",
            "'p:item' at line 1 uses a namespace prefix that is not declared",
        ),
        ('<list><item p:a="1"/></list>', "'p:a' at line 1 uses a namespace prefix"),
        ('<list xmlns:md="http://x`y"><item/></list>', "the namespace 'http://x`y' (prefix 'md')"),
    ],
)
def test_names_that_namespace_aware_code_cannot_read_refuse_the_file(
    tmp_path: Path, document: str, reason: str
) -> None:
    path = tmp_path / "names.xml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=re.escape(reason)):
        list(iter_elements(path, "item"))
