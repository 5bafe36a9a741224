"""Real files of every importer's format, and ways to break them, for the fuzzing tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MAX_SEED_BYTES = 64 * 1024

# Small real files of each format (tests/data and samples/exchange, see their READMEs).
SEED_FILES: dict[str, tuple[str, ...]] = {
    "acau-csv": ("tests/data/acau/acau-awards-sample.csv",),
    "ancine-countries": ("tests/data/ancine/countries.csv",),
    "ancine-cpb": ("tests/data/ancine/cpb-2023.csv", "tests/data/ancine/broken-cpb.csv"),
    "ancine-roe": ("tests/data/ancine/roe-2023.csv",),
    "ancine-crt": ("tests/data/ancine/crt-2023.csv",),
    "ancine-directors": ("tests/data/ancine/directors.csv",),
    "ancine-releases": ("tests/data/ancine/releases.csv",),
    "avails-xml": (
        "tests/data/avails/Avails_noErrors_v2.4_cut.xml",
        "tests/data/avails/Avails_withErrors.xml",
    ),
    "avails-xlsx": ("tests/data/avails/Movies_v1.9_cut.xlsx", "tests/data/avails/TV_v1.8_cut.xlsx"),
    "exchange-csv": ("samples/exchange/template.csv", "samples/exchange/minimal.csv"),
    "exchange-jsonl": ("samples/exchange/template.jsonl",),
    "mec-xml": ("tests/data/mec/VEEP_Season5_E4_mec.xml", "tests/data/mec/CM_withErrors.xml"),
}

# Fragments that reach the corners of parsers: limits, escapes, encodings, markup.
NASTY = (
    b"\x00",
    b"\xff\xfe",
    b"\xc3\x28",
    b'"',
    b"\r",
    b"\n",
    b";",
    b",",
    b"|",
    b"\\",
    b"[",
    b"]",
    b"=",
    b"9" * 5000,
    b"-1",
    b"1e999",
    b"NaN",
    b"[" * 3000,
    b'{"a":' * 600,
    b"\xe2\x80\xa8",
    b"T" * 40_000,
    b"<!DOCTYPE x [<!ENTITY e 'v'>]>",
    b"&e;",
    b"<![CDATA[",
    b"<a>" * 600,
    b"</",
    b"31/02/2023",
    b"0000-00-00",
    b"99:99:99",
    b"P99999999999Y",
)


def seed_bytes(relative: str) -> bytes:
    """Return a seed file's bytes, cut to a size that keeps the examples quick."""
    data = (ROOT / relative).read_bytes()
    return data if data.startswith(b"PK") else data[:MAX_SEED_BYTES]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """Return the seed with a few bytes flipped, cut, repeated or replaced by nasty ones."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(("flip", "insert", "delete", "repeat", "truncate")))
        if operation == "flip" and data:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif operation == "insert":
            data[where:where] = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=8))
        elif operation == "delete":
            del data[where : where + draw(st.integers(1, 64))]
        elif operation == "repeat":
            data[where:where] = data[where : where + draw(st.integers(1, 256))]
        else:
            del data[where:]
    return bytes(data)


@st.composite
def mutated_package(draw: st.DrawFn, seed: bytes) -> bytes:
    """Return a zip package (xlsx) with one part mutated and the zip itself left sound."""
    with zipfile.ZipFile(io.BytesIO(seed)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(mutated(parts[name]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
    return out.getvalue()


def file_contents(source_format: str) -> st.SearchStrategy[bytes]:
    """Return random bytes, and mutations of the real files, of one format."""
    seeds = st.sampled_from([seed_bytes(relative) for relative in SEED_FILES[source_format]])
    strategies = [st.binary(max_size=512), seeds.flatmap(mutated)]
    if source_format == "avails-xlsx":
        strategies.append(seeds.flatmap(mutated_package))
    return st.one_of(*strategies)
