"""Create the Elasticsearch client and translate its failures into registry errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.serializer import OrjsonSerializer

from registry.errors import SearchUnavailable


def make_client(url: str, timeout: float = 10.0) -> Elasticsearch:
    """Return a client for the node at url (orjson encodes bulk bodies and decodes answers)."""
    return Elasticsearch(
        url,
        request_timeout=timeout,
        max_retries=1,
        retry_on_timeout=False,
        serializer=OrjsonSerializer(),
    )


def ping(client: Elasticsearch) -> dict[str, str]:
    """Return the cluster's health status or raise SearchUnavailable."""
    with search_errors():
        health = client.options(request_timeout=3).cluster.health()
    return {"status": str(health["status"]), "cluster": str(health["cluster_name"])}


@contextmanager
def search_errors() -> Iterator[None]:
    """Turn connection failures into SearchUnavailable."""
    try:
        yield
    except TransportError as exc:
        raise SearchUnavailable(f"search is unavailable: {exc.__class__.__name__}") from exc
    except ApiError as exc:
        if exc.meta.status in (429, 502, 503, 504):
            raise SearchUnavailable(f"search is unavailable: HTTP {exc.meta.status}") from exc
        raise
