"""The web pages against a real node and database: answers, languages, errors and sign-in."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from registry.app import create_app
from registry.auth.tokens import create_token
from registry.context import Registry
from registry.services import jobs
from tests.browser.sample_works import ACCENTED_TITLE, TEST_DATA, TYPED_TITLE, load_sample


@pytest.fixture
def site(search_registry):
    """Return a test client over the sample catalogue, with the sample's ids and a token."""
    sample = load_sample(search_registry)
    with search_registry.sessions() as session:
        issued = create_token(session, "BR-ANCINE", "submitter", "web-pages")
        session.commit()
    client = create_app(registry=search_registry).test_client()
    client.sample, client.token = sample, issued.secret
    client.registry = search_registry
    return client


def text(response) -> str:
    """Return the visible text of a page, tags dropped and spaces collapsed."""
    body = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S
    )
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&amp;", "&")
    return plain.replace(" ,", ",").replace(" .", ".")


def form_token(response) -> str:
    """Return the form token of a page."""
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_search_finds_an_accented_title_typed_plainly_with_a_typo(site):
    response = site.get("/search", query_string={"q": TYPED_TITLE})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'href="/works/{site.sample.work_ids[0]}"' in page
    assert ACCENTED_TITLE in page
    assert "CPB B0600412700000" in page  # key identifier shown with the result
    assert "1 work found" in text(response)


def test_facets_are_links_that_filter(site):
    page = site.get("/").get_data(as_text=True)
    link = re.search(r'href="(/search\?country=UY)"', page)
    assert link, "the country facet links to a filtered search"
    filtered = text(site.get(link.group(1)))
    assert "Whisky" in filtered and ACCENTED_TITLE not in filtered
    decade = re.search(r'href="(/search\?year_from=2000&amp;year_to=2009)"', page)
    assert decade and "2 works found" in text(site.get(decade.group(1).replace("&amp;", "&")))


def test_cursor_paging_walks_every_result_once(site):
    url, seen, pages = "/search?sort=title&size=1", [], 0
    while url:
        page = site.get(url).get_data(as_text=True)
        seen += re.findall(r'<h3><a href="/works/(\d+)">', page)
        following = re.search(r'href="(/search\?[^"]*cursor=[^"]*)" rel="next"', page)
        url = following.group(1).replace("&amp;", "&") if following else None
        pages += 1
        assert pages <= 10
    total = int(re.search(r"(\d+) works? found", text(site.get("/search"))).group(1))
    assert len(seen) == len(set(seen)) == total >= 3
    assert "page 2" in text(site.get("/search?sort=title&size=1&page=2"))


def test_work_page_shows_rights_licences_sources_and_conflicts(site):
    work_id = site.sample.work_ids[0]
    response = site.get(f"/works/{work_id}")
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Gullane Filmes",
        "Plataforma Sur SRL",
        "Subscription video on demand (SVOD)",
        "ZZ-EXCHANGE",
        "Timeline by territory and medium",
        "add up to 110%",
        "overlap and at least one is exclusive",
        "Brazil",
    ):
        assert expected in page, expected
    assert response.get_data(as_text=True).count('class="conflict"') >= 3


def test_availability_answers_in_words(site):
    work_id = site.sample.work_ids[0]
    url = f"/works/{work_id}/availability?territory=AR&media=svod&on=2026-07-01"
    page = text(site.get(url))
    assert "Yes: 2 licences cover Argentina" in page
    assert "Exclusivity is held by: Plataforma Sur SRL, Distribuidora Andina SA" in page
    page = text(site.get(f"/works/{work_id}/availability?territory=AR&media=svod&on=2025-07-01"))
    assert "No: no registered licence covers Argentina" in page


def test_spanish_from_the_parameter_is_remembered(site):
    work_id = site.sample.work_ids[0]
    url = f"/works/{work_id}/availability?territory=AR&media=svod&on=2026-07-01&lang=es"
    response = site.get(url)
    page = text(response)
    assert "Sí: 2 licencias cubren Argentina" in page
    assert "1 jul 2026" in page
    assert 'lang="es"' in response.get_data(as_text=True)
    assert "lang=es" in response.headers["Set-Cookie"]
    assert "Registro de Derechos Audiovisuales" in text(site.get("/parties"))


def test_language_follows_accept_language(site):
    page = text(site.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"}))
    assert "Buscar obras" in page and "Registro de Direitos Audiovisuais" in page
    page = text(site.get(f"/works/{site.sample.work_ids[0]}", headers={"Accept-Language": "pt"}))
    assert "Brasil" in page and "Longa-metragem" in page


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/search?year_from=abc", "year_from", "Enter a year between 1870 and 2100."),
        ("/search?media=betamax", "media", "Choose a medium from the list."),
        ("/search?country=JJ", "country", "Choose a country from the list."),
        ("/search?year_from=2010&year_to=2000", "year_to", "not before the first year"),
        ("/search?cursor=%25%25%25", "cursor", "This page link is no longer valid"),
        ("/parties?q=" + "x" * 300, "q", "Enter up to 256 characters."),
    ],
)
def test_wrong_fields_show_their_error_with_422(site, url, field, message):
    response = site.get(url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert "Traceback" not in page


def test_wrong_availability_date_is_422_on_the_field(site):
    response = site.get(f"/works/{site.sample.work_ids[0]}/availability?on=2026-13-01")
    assert response.status_code == 422
    assert 'id="on-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/works/999999", "/parties/999999", "/imports/999999"])
def test_unknown_ids_give_a_404_page(site, url):
    response = site.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Nothing in the registry has this number." in text(response)


def test_unknown_addresses_are_pages_but_api_stays_json(site):
    assert site.get("/nowhere").mimetype == "text/html"
    response = site.get("/api/v1/nowhere")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_search_down_gives_a_503_page(registry):
    dead = Registry(replace(registry.settings, elasticsearch_url="http://127.0.0.1:9"))
    response = create_app(registry=dead).test_client().get("/search?q=whisky")
    assert response.status_code == 503
    assert "The search service cannot be reached" in text(response)


def test_party_pages(site):
    page = site.get("/parties?q=plataforma").get_data(as_text=True)
    party = re.search(r'href="/parties/(\d+)">Plataforma Sur SRL', page)
    assert party
    detail = text(site.get(f"/parties/{party.group(1)}"))
    assert ACCENTED_TITLE in detail and "licensee" in detail


def test_import_report_shows_rejections_only_to_the_agency(site):
    url = f"/imports/{site.sample.batch_id}"
    anonymous = text(site.get(url))
    assert "Rejected records are shown only to BR-ANCINE" in anonymous
    assert "31/02/2023" not in anonymous
    login = site.get("/sign-in")
    response = site.post(
        "/sign-in", data={"csrf": form_token(login), "token": site.token, "next": url}
    )
    assert response.status_code == 303 and response.headers["Location"] == url
    signed = text(site.get(url))
    assert "Rejections 1 to 3 of 3" in signed
    assert "B23005523000" in signed


def test_sign_in_refuses_bad_tokens_and_forged_forms(site):
    login = site.get("/sign-in")
    bad = site.post("/sign-in", data={"csrf": form_token(login), "token": "avr_nope"})
    assert bad.status_code == 422 and 'id="token-error"' in bad.get_data(as_text=True)
    forged = site.post("/sign-in", data={"csrf": "forged", "token": site.token})
    assert forged.status_code == 400
    outside = site.post(
        "/sign-in",
        data={"csrf": form_token(login), "token": site.token, "next": "https://elsewhere.example/"},
    )
    assert outside.headers["Location"] == "/upload"


def test_upload_follows_the_import_to_its_report(site):
    assert site.get("/upload").headers["Location"].startswith("/sign-in")
    login = site.get("/sign-in")
    site.post("/sign-in", data={"csrf": form_token(login), "token": site.token})
    form = site.get("/upload")
    assert form.status_code == 200
    with (TEST_DATA / "ancine" / "cpb-2023.csv").open("rb") as handle:
        response = site.post(
            "/upload",
            data={"csrf": form_token(form), "format": "auto", "file": (handle, "cpb-2023.csv")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 303
    report_url = response.headers["Location"]
    pending = site.get(report_url).get_data(as_text=True)
    assert "This import is in progress" in pending and "progress.js" in pending
    assert jobs.run_worker(site.registry, once=True) == 1
    done = text(site.get(report_url))
    assert "This import is complete." in done and "cpb-2023.csv" in done
    empty = site.post(
        "/upload", data={"csrf": form_token(form)}, content_type="multipart/form-data"
    )
    assert empty.status_code == 422 and 'id="file-error"' in empty.get_data(as_text=True)


def test_pages_carry_a_content_security_policy(site):
    response = site.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "http" not in re.sub(r'href="[^"]*"', "", response.get_data(as_text=True)).split(
        "<body>"
    )[0].replace("http-equiv", "")


def test_linked_records_show_on_the_survivor_and_the_absorbed_id_redirects(site):
    from registry.matching.decisions import link

    first, second = site.sample.work_ids
    with site.registry.sessions() as session:
        survivor = link(session, first, second, actor="person:test")
    absorbed = second if survivor == first else first
    page = text(site.get(f"/works/{survivor}"))
    assert "Records of other registries linked to this work" in page
    assert f"{absorbed} ZZ-EXCHANGE" in page and "linked by a person" in page
    response = site.get(f"/works/{absorbed}")
    assert response.status_code == 301 and response.headers["Location"] == f"/works/{survivor}"
