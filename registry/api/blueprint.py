"""API blueprint whose query strings are read into plain dicts before validation."""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

_MULTIPLE: dict[type[ma.Schema], frozenset[str]] = {}


def multiple_keys(schema: ma.Schema) -> frozenset[str]:
    """Return (and remember per schema class) the keys that take repeated values."""
    keys = _MULTIPLE.get(type(schema))
    if keys is None:
        keys = _MULTIPLE[type(schema)] = frozenset(MultiDictProxy({}, schema).multiple_keys)
    return keys


def query_dict(args: MultiDict, schema: ma.Schema) -> dict[str, Any]:
    """Return the parameters present, as lists for the schema's list fields."""
    multiple = multiple_keys(schema)
    return {key: args.getlist(key) if key in multiple else args[key] for key in args}


class QueryArgsParser(FlaskParser):
    """Read query strings as {name: value}, with lists only for list fields.

    webargs' default proxy asks the request for every field of the schema, and each absent
    field costs a werkzeug exception; reading only the keys present gives the schema the same
    input (unknown keys included, so they are still refused) at a fraction of the cost.
    """

    def load_querystring(self, req: flask.Request, schema: ma.Schema) -> dict[str, Any]:
        """Return the query parameters present in the request."""
        return query_dict(req.args, schema)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest blueprint using QueryArgsParser for its arguments."""

    ARGUMENTS_PARSER = QueryArgsParser()
