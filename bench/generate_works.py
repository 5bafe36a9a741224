"""Generate a synthetic, deterministic set of works and bulk-index it under its own prefix.

    .venv/bin/python bench/generate_works.py                 # 1,000,000 works -> alias bench-works
    .venv/bin/python bench/generate_works.py -n 100000 --prefix bench-small-
    .venv/bin/python bench/generate_works.py --force         # rebuild even if the alias is full

Documents have exactly the shape of registry/search/mappings/works-v1.json (the mapping is
strict, so any extra field fails the load). Work i is a pure function of (seed, i), so the same
seed gives the same index whatever the number of worker processes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from bisect import bisect
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH_PREFIX, alias_count, machine_line, make_registry  # noqa: E402
from elasticsearch import helpers  # noqa: E402

from registry.search import management  # noqa: E402
from schemas.checksums import mod37_36  # noqa: E402
from schemas.text import fold  # noqa: E402
from schemas.vocab import REGIONS  # noqa: E402

TODAY = date(2026, 6, 1)
CHUNK_WORKS = 5000  # works per generation task (the unit of determinism)
PARTY_POOL = 50_000
PERSON_SHARE = 0.7  # of the pool; the rest are organisations
RARE_WORDS = 30_000  # invented proper nouns that give titles a long-tailed vocabulary

# --- vocabularies -------------------------------------------------------------------------
# fmt: off

def _words(text: str) -> list[str]:
    """Return the words of a space-separated list."""
    return text.split()


WORDS: dict[str, dict[str, list[str]]] = {
    "pt": {
        "art": ["O", "A", "Os", "As"],
        "prep": ["de", "do", "da", "no", "na", "sem", "para", "entre"],
        "noun": _words(
            "coração sertão ação paixão canção memória cidade noite mar rio terra céu estrela "
            "família história saudade caminho amor verão inverno ilha floresta fronteira sombra "
            "luz fogo vento sonho menino menina mãe pai irmão avó viagem música futebol favela "
            "samba praia estação janela espelho silêncio segredo lágrimas órfão pássaro "
            "tempestade matadouro cangaço quilombo romaria sertanejo baía mangue lampião "
            "capitão açúcar algodão coronel vingança feitiço"
        ),
        "adj": _words(
            "selvagem perdido escuro último grande pequeno eterno secreto proibido distante "
            "doce amargo vermelho azul dourado tropical brasileiro íntimo invisível sagrado "
            "esquecido estrangeiro"
        ),
        "name": [
            "Maria", "João", "São Paulo", "Copacabana", "Bahia", "Iracema", "Conceição",
            "Macunaíma", "Sebastião", "Brasília", "Amazônia", "Tião",
        ],
        "ep": ["Episódio", "Capítulo", "Parte"],
    },
    "es": {
        "art": ["El", "La", "Los", "Las"],
        "prep": ["de", "del", "en", "sin", "para", "entre", "con"],
        "noun": _words(
            "corazón canción niño año días señor montaña pampa tango río ciudad noche mar "
            "tierra cielo estrella familia historia camino amor verano invierno isla bosque "
            "frontera sombra luz fuego viento sueño madre padre hermano abuela viaje música "
            "fútbol playa estación ventana espejo silencio secreto lágrimas huérfano pájaro "
            "tormenta relatos pasión revolución nación café murga candombe gaucho patrón cóndor "
            "desierto"
        ),
        "adj": _words(
            "salvaje perdido oscuro último grande pequeño eterno secreto prohibido lejano dulce "
            "amargo rojo azul dorado rioplatense íntimo invisible sagrado olvidado extranjero"
        ),
        "name": [
            "María", "Buenos Aires", "Montevideo", "Patagonia", "Ramón", "Tucumán", "Perú",
            "Cusco", "Ángel", "Inés", "Medellín", "Andrés",
        ],
        "ep": ["Episodio", "Capítulo", "Parte"],
    },
    "en": {
        "art": ["The", "A"],
        "prep": ["of", "in", "without", "for", "between", "from"],
        "noun": _words(
            "heart song child year days river city night sea land sky star family story road "
            "love summer winter island forest border shadow light fire wind dream mother father "
            "brother journey music beach station window mirror silence secret tears orphan bird "
            "storm tales passion revolution nation desert coffee harbor"
        ),
        "adj": _words(
            "wild lost dark last great little eternal secret forbidden distant sweet bitter red "
            "blue golden invisible sacred forgotten foreign silent broken"
        ),
        "name": ["Mary", "John", "Rio", "Havana", "Lisbon", "Madrid", "Amazon", "Andes"],
        "ep": ["Episode", "Chapter", "Part"],
    },
}
FIRST_NAMES = _words(
    "João José Antônio Francisco Luís Paulo Pedro Lucas Gabriel Rafael Márcio Fábio Otávio "
    "Sérgio Vinícius Caetano Glauber Nélson Hélio Cláudio Maria Ana Lúcia Inês Débora Ângela "
    "Fernanda Beatriz Letícia Mônica Tânia Cecília Luíza Júlia Bárbara Patrícia Sônia Flávia "
    "Martín Sebastián Joaquín Andrés Tomás Ramón Raúl Álvaro Héctor Julián Agustín Nicolás "
    "Matías Germán Óscar Adrián Rubén Iván Verónica María Sofía Lucía Valentina Camila "
    "Florencia Belén Martina Inés Ximena Mónica Gabriela Paula Renée Zoé Noémie Hélène Jürgen "
    "Søren Björn Jean Pierre Michael David Sarah Emily John Robert Laura Anne"
)
LAST_NAMES = _words(
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Ribeiro Carvalho "
    "Araújo Gonçalves Conceição Simões Magalhães Brandão Falcão Assunção Guimarães Peçanha "
    "Damásio Antunes Caetano Nóbrega Bezerra Lacerda Barroso Mendonça Sá Leão Brandão Fernández "
    "González Rodríguez López Martínez Sánchez Pérez Gómez Díaz Hernández Álvarez Jiménez Ruiz "
    "Núñez Ibáñez Peña Muñoz Suárez Giménez Domínguez Vázquez Ramírez Castaño Ortúzar "
    "Echeverría Larrañaga Güiraldes Saldaña Cortázar Irigoyen Zubiría Arocena Müller Schäfer "
    "Dupont Lefèvre Müller Nørgaard Smith Johnson Brown O'Neill García Lòpez Castro Rocha "
    "Moreira Cardoso Teixeira Correia Vieira Monteiro Mendes Barbosa Pinto Cavalcanti "
    "Albuquerque Quiroga Villalobos Benítez Sosa Acosta Medina Herrera Aguirre"
)
SYLLABLES = _words(
    "ca ra mo ti lu na be so vi ta ri po gua ja xa qui bo ne mi la co re pa do fe ga to ma sa "
    "ju ba ve ro ze cu ni pe al an ar en in or ur"
)
ORG_FORMS = [
    "{} Filmes", "{} Produções Ltda", "{} Producciones S.A.", "{} Films", "{} Pictures",
    "{} Entertainment", "Cinematográfica {}", "{} Audiovisual", "Estúdio {}", "{} Cine",
    "{} Distribuidora", "{} Media Group", "Produtora {}", "{} Comunicações", "Canal {}",
]
# origin country: (weight, title language, agency of first registration)
COUNTRIES = {
    "BR": (30, "pt", "BR-ANCINE"), "AR": (12, "es", "AR-INCAA"), "US": (10, "en", None),
    "MX": (8, "es", None), "ES": (7, "es", None), "UY": (5, "es", "UY-ACAU"),
    "FR": (4, "en", None), "CL": (4, "es", None), "CO": (4, "es", None),
    "PE": (3, "es", "PE-DAFO"), "PT": (2, "pt", None), "DE": (2, "en", None),
    "IT": (2, "en", None), "GB": (2, "en", None), "CA": (1, "en", None), "CU": (1, "es", None),
    "BO": (1, "es", None), "PY": (1, "es", None), "VE": (1, "es", None), "JP": (1, "en", None),
    "KR": (1, "en", None),
}
LANGUAGE_OF = {
    "BR": "pt", "PT": "pt", "US": "en", "GB": "en", "CA": "en", "FR": "fr", "DE": "de", "IT": "it",
    "JP": "ja", "KR": "ko",
}
WORK_TYPES = {
    "movie": 50, "short": 20, "episode": 10, "series": 6, "season": 4, "tv_movie": 3,
    "miniseries": 3, "music_video": 2, "other": 2,
}
PERSON_ROLES = {
    "director": 40, "producer": 20, "screenwriter": 15, "performer": 15, "composer": 5,
}
ORG_ROLES = {
    "production_company": 60, "coproducer": 15, "distributor": 15, "broadcaster": 5,
    "applicant": 5,
}
MEDIA = {
    "svod": 25, "pay_tv": 18, "free_tv": 15, "theatrical": 12, "tvod": 10, "avod": 6, "est": 5,
    "home_video": 5, "fvod": 3, "other": 1,
}
LICENCE_LANGUAGES = ["pt", "es", "en", "fr"]
RIGHT_TYPES = {
    "economic": 60, "distribution": 25, "broadcast": 6, "remake": 4, "derivative": 3, "other": 2,
}
TITLE_KINDS_EXTRA = {
    "translated": 50, "local": 25, "alternative": 20, "working": 5,
}
TERRITORY_GROUPS = [
    "MERCOSUR", "SOUTH_AMERICA", "LATAM", "IBEROAMERICA", "NORTH_AMERICA", "EU", "ANDEAN",
]
SINGLE_TERRITORIES = {
    "BR": 30, "AR": 12, "MX": 10, "US": 8, "UY": 6, "ES": 6, "CL": 5, "CO": 5, "PE": 4, "PT": 3,
    "FR": 2, "DE": 2, "GB": 2, "PY": 2, "BO": 2,
}
# fmt: on


class Weighted:
    """Draw from a weighted table in O(log n) with one random number."""

    def __init__(self, table: dict[str, int]) -> None:
        self.keys = list(table)
        self.cum = list(accumulate(table.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.keys[bisect(self.cum, rng.random() * self.total)]


PICK_COUNTRY = Weighted({k: v[0] for k, v in COUNTRIES.items()})
PICK_WORK_TYPE = Weighted(WORK_TYPES)
PICK_PERSON_ROLE = Weighted(PERSON_ROLES)
PICK_ORG_ROLE = Weighted(ORG_ROLES)
PICK_MEDIUM = Weighted(MEDIA)
PICK_RIGHT = Weighted(RIGHT_TYPES)
PICK_TITLE_KIND = Weighted(TITLE_KINDS_EXTRA)
PICK_TERRITORY = Weighted(SINGLE_TERRITORIES)
N_CONTRIBUTORS = Weighted({"0": 10, "1": 25, "2": 30, "3": 20, "4": 15})
N_LICENCES = Weighted({"0": 35, "1": 25, "2": 15, "3": 10, "4": 7, "5": 5, "6": 3})


# --- the party pool -----------------------------------------------------------------------


def build_party_pool(seed: int) -> list[tuple[str, str, bool]]:
    """Return PARTY_POOL distinct (name, folded name, is_person); party id = index + 1."""
    rng = random.Random(f"{seed}:parties")
    names: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    persons = int(PARTY_POOL * PERSON_SHARE)
    while len(names) < PARTY_POOL:
        person = len(names) < persons
        if person:
            parts = [rng.choice(FIRST_NAMES)]
            if rng.random() < 0.35:
                parts.append(rng.choice(FIRST_NAMES))
            parts.append(rng.choice(LAST_NAMES))
            if rng.random() < 0.45:
                parts.append(rng.choice(LAST_NAMES))
            name = " ".join(parts)
        else:
            stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            if rng.random() < 0.3:
                stem = f"{rng.choice(LAST_NAMES)} {stem}"
            name = rng.choice(ORG_FORMS).format(stem)
        if name in seen:
            continue
        seen.add(name)
        names.append((name, fold(name), person))
    return names


# --- one work -----------------------------------------------------------------------------


def _skewed(rng: random.Random, lo: int, hi: int, power: float = 3.0) -> int:
    """Return an index in [lo, hi) skewed towards lo (a few popular parties)."""
    return lo + int((hi - lo) * rng.random() ** power)


def build_rare_words(seed: int) -> list[str]:
    """Return RARE_WORDS distinct invented proper nouns (places, nicknames), some accented."""
    rng = random.Random(f"{seed}:rare")
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < RARE_WORDS:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.35:
            word = word[:-1] + {"a": "ã", "e": "é", "i": "í", "o": "ó", "u": "ú"}.get(
                word[-1], word[-1]
            )
        word = word.capitalize()
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _title(rng: random.Random, lang: str) -> str:
    """Return a title from the language's word list; a third carry a rare proper noun."""
    w = WORDS[lang]
    r = rng.random()
    noun, noun2, adj = rng.choice(w["noun"]), rng.choice(w["noun"]), rng.choice(w["adj"])
    if rng.random() < 0.35:  # the long tail of a real catalogue's vocabulary
        rare = _RARE[_skewed(rng, 0, len(_RARE), 2.0)]
        if r < 0.3:
            text = rare
        elif r < 0.7:
            text = f"{rng.choice(w['art'])} {noun} {rng.choice(w['prep'])} {rare}"
        else:
            text = f"{rare}, {noun} {adj}" if lang != "en" else f"{rare}, {adj} {noun}"
    elif r < 0.2:
        text = f"{rng.choice(w['art'])} {noun}"
    elif r < 0.4:
        text = (
            f"{rng.choice(w['art'])} {noun} {adj}"
            if lang != "en"
            else f"{rng.choice(w['art'])} {adj} {noun}"
        )
    elif r < 0.6:
        text = f"{noun.capitalize()} {rng.choice(w['prep'])} {noun2}"
    elif r < 0.72:
        text = f"{rng.choice(w['art'])} {noun} {rng.choice(w['prep'])} {rng.choice(w['name'])}"
    elif r < 0.82:
        text = (
            f"{rng.choice(w['name'])}, {noun} {adj}"
            if lang != "en"
            else f"{rng.choice(w['name'])}, {adj} {noun}"
        )
    elif r < 0.92:
        text = (
            f"{noun.capitalize()} e {noun2}"
            if lang == "pt"
            else (
                f"{noun.capitalize()} y {noun2}"
                if lang == "es"
                else f"{noun.capitalize()} and {noun2}"
            )
        )
    else:
        text = f"{rng.choice(w['art'])} {noun} {adj} {rng.choice(w['prep'])} {noun2}"
    if rng.random() < 0.04:
        text += f" {rng.randint(2, 5)}"
    return text[0].upper() + text[1:]


def _year(rng: random.Random) -> int:
    """Return a production year in 1930-2026, skewed towards recent years."""
    while True:
        year = TODAY.year - int(rng.expovariate(1 / 14))
        if year >= 1930:
            return year


def _day(rng: random.Random, start: date, end: date) -> date:
    """Return a day between start and end."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(span, 0)))


def _territories(rng: random.Random) -> list[str]:
    """Return the (expanded) territories of a licence or holding."""
    r = rng.random()
    if r < 0.55:
        return [PICK_TERRITORY(rng)]
    if r < 0.75:
        return sorted({PICK_TERRITORY(rng) for _ in range(rng.randint(2, 4))})
    if r < 0.95:
        return list(REGIONS[rng.choice(TERRITORY_GROUPS)])
    return list(REGIONS["WORLD"])


def _eidr(rng: random.Random) -> str:
    """Return a valid content EIDR."""
    digits = "".join(rng.choice("0123456789ABCDEF") for _ in range(20))
    groups = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
    return f"10.5240/{groups}-{mod37_36(digits)}"


def _isan(rng: random.Random) -> str:
    """Return a valid short ISAN."""
    digits = "".join(rng.choice("0123456789ABCDEF") for _ in range(16))
    groups = "-".join(digits[i : i + 4] for i in range(0, 16, 4))
    return f"{groups}-{mod37_36(digits)}"


def _identifiers(
    rng: random.Random, i: int, year: int, agencies: list[str], br: bool
) -> list[tuple[str, str]]:
    """Return (scheme, value) identifiers as the agencies would give them."""
    ids: list[tuple[str, str]] = []
    yy = f"{year % 100:02d}"
    serial = f"{i % 1_000_000:06d}"
    if "BR-ANCINE" in agencies:
        ids.append(("br_cpb", f"B{yy}{serial}00000") if br else ("br_roe", f"E{yy}{serial}00000"))
        if rng.random() < 0.4:
            ids.append(("br_crt", f"{max(year, 2002)}{i % 10**10:010d}00"[:16]))
    if "UY-ACAU" in agencies:
        ids.append(("uy_acau", f"ACAU-{year}-{i % 100000:05d}"))
    if "AR-INCAA" in agencies:
        ids.append(("proprietary:incaa.gob.ar", f"INCAA-{i:07d}"))
    if "PE-DAFO" in agencies:
        ids.append(("proprietary:dafo.cultura.pe", f"DAFO-{year}-{i % 10000:04d}"))
    if "ZZ-AVAILS" in agencies:
        ids.append(("alid", f"md:alid:bench:{i:08x}"))
    if rng.random() < 0.15:
        ids.append(("eidr", _eidr(rng)))
    if rng.random() < 0.05:
        ids.append(("isan", _isan(rng)))
    if rng.random() < 0.2:
        ids.append(("imdb", f"tt{1_000_000 + i:08d}"))
    return ids


def make_work(i: int, rng: random.Random, parties: list[tuple[str, str, bool]]) -> dict[str, Any]:
    """Return the index document of synthetic work i (work_id = i)."""
    persons = int(PARTY_POOL * PERSON_SHARE)
    country = PICK_COUNTRY(rng)
    _, title_lang, home_agency = COUNTRIES[country]
    countries = {country}
    copro: set[str] = set()
    if rng.random() < 0.12:
        countries.add(PICK_COUNTRY(rng))
        if rng.random() < 0.3:
            copro.add(PICK_COUNTRY(rng))
    countries_sorted = sorted(countries)
    agencies = (
        {home_agency} if home_agency else {"BR-ANCINE" if rng.random() < 0.5 else "ZZ-AVAILS"}
    )
    if rng.random() < 0.1:
        agencies.add("ZZ-AVAILS")
    agencies_sorted = sorted(agencies)

    work_type = PICK_WORK_TYPE(rng)
    year = _year(rng)
    year_end = None
    if work_type in ("series", "miniseries") and rng.random() < 0.6:
        year_end = min(TODAY.year, year + rng.randint(0, 6))
    runtime = {
        "movie": rng.uniform(70, 150),
        "short": rng.uniform(3, 30),
        "episode": rng.uniform(20, 60),
        "tv_movie": rng.uniform(60, 110),
        "music_video": rng.uniform(3, 8),
    }.get(work_type)
    episode_count = rng.randint(4, 80) if work_type in ("series", "season", "miniseries") else None
    parent_id = sequence = None
    if work_type in ("episode", "season") and i > 10:
        parent_id = rng.randint(1, i - 1)
        sequence = rng.randint(1, 40)

    original = _title(rng, title_lang)
    if work_type == "episode" and rng.random() < 0.5:
        original = f"{original}: {rng.choice(WORDS[title_lang]['ep'])} {sequence or 1}"
    orig_lang = LANGUAGE_OF.get(country, title_lang)
    titles = [
        {
            "text": original,
            "folded": fold(original),
            "language": orig_lang,
            "kind": "original",
            "territory": None,
        }
    ]
    for _ in range(int(rng.random() < 0.45) + int(rng.random() < 0.1)):
        lang = rng.choice([lg for lg in ("pt", "es", "en") if lg != title_lang])
        text = _title(rng, lang)
        kind = PICK_TITLE_KIND(rng)
        titles.append(
            {
                "text": text,
                "folded": fold(text),
                "language": lang,
                "kind": kind,
                "territory": ("BR" if lang == "pt" else PICK_TERRITORY(rng))
                if kind == "local"
                else None,
            }
        )

    contributors: dict[tuple[int, str], dict[str, Any]] = {}
    for _ in range(int(N_CONTRIBUTORS(rng))):
        if rng.random() < 0.6:
            pid = _skewed(rng, 0, persons, 2.0) + 1
            role = PICK_PERSON_ROLE(rng)
        else:
            pid = _skewed(rng, persons, PARTY_POOL, 2.5) + 1
            role = PICK_ORG_ROLE(rng)
        name, folded, _ = parties[pid - 1]
        contributors.setdefault(
            (pid, role), {"party_id": pid, "name": name, "name_folded": folded, "role": role}
        )
    producer = next(
        (c["party_id"] for c in contributors.values() if c["role"] == "production_company"), None
    )

    rights = []
    if rng.random() < 0.3:
        holders = 1 if rng.random() < 0.8 else 2
        for h in range(holders):
            pid = producer if (h == 0 and producer) else _skewed(rng, persons, PARTY_POOL) + 1
            name, folded, _ = parties[pid - 1]
            start = date(max(year, 1990), 1, 1) + timedelta(days=rng.randint(0, 360))
            rights.append(
                {
                    "holder_id": pid,
                    "holder_name": name,
                    "holder_folded": folded,
                    "right_type": PICK_RIGHT(rng),
                    "share_pct": 100.0 if holders == 1 else 50.0,
                    "territories": list(REGIONS["WORLD"])
                    if rng.random() < 0.4
                    else _territories(rng),
                    "valid_from": start.isoformat(),
                    "valid_to": (start + timedelta(days=365 * rng.randint(5, 30))).isoformat()
                    if rng.random() < 0.5
                    else None,
                }
            )

    licenses = []
    for n in range(int(N_LICENCES(rng))):
        licensor = producer or _skewed(rng, persons, PARTY_POOL, 2.5) + 1
        licensee = _skewed(rng, persons, persons + 3000, 2.5) + 1
        start = _day(rng, date(max(year, 2000), 1, 1), date(2026, 12, 31))
        end = None if rng.random() < 0.15 else start + timedelta(days=rng.randint(180, 3650))
        status = "expired" if end and end < TODAY else "active"
        if start > TODAY:
            status = "pending"
        elif rng.random() < 0.04:
            status = "cancelled"
        media = sorted({PICK_MEDIUM(rng) for _ in range(rng.randint(1, 3))})
        licenses.append(
            {
                "license_id": i * 8 + n,
                "licensor_id": licensor,
                "licensor_name": parties[licensor - 1][0],
                "licensee_id": licensee,
                "licensee_name": parties[licensee - 1][0],
                "licensee_folded": parties[licensee - 1][1],
                "media": media,
                "territories": _territories(rng),
                "languages": sorted(
                    {rng.choice(LICENCE_LANGUAGES) for _ in range(rng.randint(1, 2))}
                ),
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "exclusive": rng.random() < 0.4,
                "status": status,
            }
        )

    party_ids = {c["party_id"] for c in contributors.values()} | {r["holder_id"] for r in rights}
    party_ids |= {p for lic in licenses for p in (lic["licensor_id"], lic["licensee_id"])}
    identifiers = _identifiers(rng, i, year, agencies_sorted, country == "BR")
    updated = date(2024, 1, 1) + timedelta(days=rng.randint(0, 880))
    copro_countries = sorted(copro | (countries if len(countries) > 1 else set()))
    return {
        "work_id": i,
        "version": rng.randint(1, 4),
        "work_type": work_type,
        "year": year,
        "year_end": year_end,
        "decade": year // 10 * 10,
        "runtime_minutes": round(runtime, 1) if runtime else None,
        "episode_count": episode_count,
        "incomplete": rng.random() < 0.05,
        "deleted": False,
        "parent_id": parent_id,
        "sequence": sequence,
        "updated_at": f"{updated.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        f":00+00:00",
        "countries_of_origin": countries_sorted,
        "original_languages": [orig_lang],
        "agencies": agencies_sorted,
        "is_coproduction": len(countries) > 1 or bool(copro),
        "coproduction_countries": copro_countries,
        "display_title": original,
        "title_sort": titles[0]["folded"][:500],
        "titles_folded": sorted({t["folded"] for t in titles}),
        "titles": titles,
        "identifiers": sorted(f"{s}:{v}" for s, v in identifiers),
        "identifier_values": sorted({v for _, v in identifiers}),
        "people_folded": sorted({parties[p - 1][1] for p in party_ids}),
        "party_ids": sorted(party_ids),
        "media": sorted({m for lic in licenses for m in lic["media"]}),
        "contributors": list(contributors.values()),
        "rights": rights,
        "licenses": licenses,
    }


# --- generation in worker processes ---------------------------------------------------------

_PARTIES: list[tuple[str, str, bool]] = []
_RARE: list[str] = []
_SEED = 0


def _init_worker(seed: int) -> None:
    """Build the party pool and the rare words once per worker process."""
    global _PARTIES, _RARE, _SEED
    _SEED = seed
    _PARTIES = build_party_pool(seed)
    _RARE = build_rare_words(seed)


def generate_chunk(task: tuple[int, int, int]) -> list[tuple[int, str]]:
    """Return (work id, JSON document) for works first..last-1; seeded by (seed, chunk)."""
    chunk, first, last = task
    rng = random.Random(_SEED * 1_000_003 + chunk)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [(i, dumps(make_work(i, rng, _PARTIES))) for i in range(first, last)]


def _tasks(total: int) -> list[tuple[int, int, int]]:
    """Split work ids 1..total into generation tasks."""
    return [
        (c, 1 + c * CHUNK_WORKS, 1 + min(total, (c + 1) * CHUNK_WORKS))
        for c in range(-(-total // CHUNK_WORKS))
    ]


def generate(
    total: int,
    prefix: str,
    seed: int,
    workers: int,
    threads: int,
    bulk_docs: int,
    force: bool,
) -> int:
    """Generate and index total works under prefix; return the process exit code."""
    registry = make_registry(prefix)
    client = registry.search.options(request_timeout=300)
    alias = management.alias_name(prefix)
    have = alias_count(registry)
    if have >= total and not force:
        print(
            f"{alias} already holds {have:,} documents (>= {total:,}); nothing to do "
            f"(use --force to regenerate)"
        )
        return 0
    index = management.new_index_name(prefix)
    print(f"machine: {machine_line()}")
    print(
        f"generating {total:,} works (seed {seed}) into {index}; "
        f"{workers} generator process(es), {threads} bulk threads, {bulk_docs} docs/bulk"
    )
    management.create_index(client, index, bulk_load=True)
    started = time.perf_counter()
    done = 0
    report_every = max(total // 20, 1)
    next_report = report_every
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(seed,)) as pool:

            def actions():  # noqa: ANN202
                for docs in pool.imap(generate_chunk, _tasks(total)):
                    for work_id, source in docs:
                        yield {"_index": index, "_id": str(work_id), "_source": source}

            for ok, item in helpers.parallel_bulk(
                client,
                actions(),
                thread_count=threads,
                chunk_size=bulk_docs,
                max_chunk_bytes=50 * 1024 * 1024,
                queue_size=threads * 2,
                raise_on_error=True,
            ):
                if not ok:
                    raise RuntimeError(f"indexing failed: {item}")
                done += 1
                if done >= next_report:
                    elapsed = time.perf_counter() - started
                    print(
                        f"  {done:>9,} docs  {elapsed:7.1f} s  {done / elapsed:8.0f} docs/s",
                        flush=True,
                    )
                    next_report += report_every
        loaded = time.perf_counter() - started
        print(f"bulk load: {done:,} docs in {loaded:.1f} s = {done / loaded:,.0f} docs/s")
        management.finish_bulk_load(client, index)
        old = management.swap_alias(client, alias, index)
        management.delete_indices(client, old)
    except BaseException:
        management.delete_indices(client, [index])
        raise
    total_s = time.perf_counter() - started
    stats = client.indices.stats(index=index, metric="store,docs,segments")["indices"][index]
    prim = stats["primaries"]
    print(
        f"refresh + alias swap: {total_s - loaded:.1f} s; total {total_s:.1f} s "
        f"= {done / total_s:,.0f} docs/s end to end"
    )
    print(
        f"{alias} -> {index}: {client.count(index=alias)['count']:,} works, "
        f"{prim['docs']['count']:,} Lucene docs (nested included), "
        f"store {prim['store']['size_in_bytes'] / 2**30:.2f} GiB, "
        f"{prim['segments']['count']} segments" + (f"; removed {', '.join(old)}" if old else "")
    )
    registry.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and generate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--works", type=int, default=1_000_000, help="works to generate")
    parser.add_argument("--prefix", default=BENCH_PREFIX, help="index prefix (alias {prefix}works)")
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--workers", type=int, default=1, help="generator processes")
    parser.add_argument("--threads", type=int, default=2, help="parallel_bulk threads")
    parser.add_argument("--bulk-docs", type=int, default=1000, help="documents per bulk request")
    parser.add_argument("--force", action="store_true", help="regenerate even if the alias is full")
    parser.add_argument(
        "--sample", type=int, default=0, help="print this many generated documents as JSON and exit"
    )
    args = parser.parse_args(argv)
    if args.sample:
        _init_worker(args.seed)
        for _, doc in generate_chunk((0, 1, 1 + args.sample)):
            print(doc)
        return 0
    return generate(
        args.works, args.prefix, args.seed, args.workers, args.threads, args.bulk_docs, args.force
    )


if __name__ == "__main__":
    sys.exit(main())
