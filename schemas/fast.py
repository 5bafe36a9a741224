"""Load work aggregates without building marshmallow object graphs, for bulk imports.

The marshmallow schemas stay the public contract. This module compiles them once into plain
closures that accept exactly what marshmallow accepts on the common path and return the same
data; anything unusual (a wrong type, an unknown field, a value a validator refuses, a field
class it does not know) makes the fast path decline, and the caller loads the record with
marshmallow, which then gives its usual error messages. The fast path never rejects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from marshmallow import Schema, ValidationError, fields, missing, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

from schemas.aggregate import WORK_AGGREGATE
from schemas.fields import (
    MAX_FREE_FORM_BYTES,
    MAX_FREE_FORM_KEY_LENGTH,
    BoundedList,
    BoundedString,
    Choice,
    FoldedName,
    FreeForm,
    Normalized,
    TrimmedString,
    check_free_form,
)
from schemas.text import fold, has_controls

_fold = lru_cache(maxsize=1 << 14)(fold)

Loader = Callable[[Any], Any]


class Decline(Exception):
    """The fast path cannot vouch for this input: marshmallow must decide."""


def _string(value: Any) -> str:
    """Accept text as fields.String does (bytes are left to marshmallow)."""
    if type(value) is not str:
        raise Decline
    return value


def _integer(value: Any) -> int:
    """Accept a Python int (marshmallow's conversions of other types are left to it)."""
    if type(value) is not int:
        raise Decline
    return value


def _float(value: Any) -> float:
    """Accept a finite int or float and return it as a float."""
    if type(value) is not float and type(value) is not int:
        raise Decline
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise Decline
    return number


def _boolean(value: Any) -> bool:
    """Accept a Python bool."""
    if value is not True and value is not False:
        raise Decline
    return value


def _date(value: Any) -> dt.date:
    """Accept a date (as marshmallow does, a datetime passes as is) or an ISO date string."""
    if isinstance(value, dt.date):
        return value
    if type(value) is not str:
        raise Decline
    return dt.date.fromisoformat(value)


def _bounded(field: BoundedString, then: Callable[[str], str] | None = None) -> Loader:
    """Refuse text over the field's limit before anything else reads it, as the field does."""
    limit = field.max_length

    def load(value: Any) -> str:
        """Return the text, passed through then when given."""
        if type(value) is not str or len(value) > limit or has_controls(value):
            raise Decline
        return value if then is None else then(value)

    return load


def _strip(text: str) -> str:
    """Strip text and refuse it when nothing is left."""
    stripped = text.strip()
    if not stripped:
        raise Decline
    return stripped


def _choice(field: Choice) -> Loader:
    """Accept only a listed value."""
    choices = frozenset(field.choices)

    def check(text: str) -> str:
        """Return the text when the vocabulary lists it."""
        if text not in choices:
            raise Decline
        return text

    return _bounded(field, check)


def _list(field: fields.List) -> Loader:
    """Load every item of a list or tuple with the inner field, within the field's item limit."""
    inner = compile_field(field.inner)
    limit = getattr(field, "max_items", None) if type(field) is BoundedList else None
    if type(field) not in (fields.List, BoundedList):
        return _generic(field)

    def load(value: Any) -> list[Any]:
        """Return a new list of loaded items."""
        if type(value) is not list and type(value) is not tuple:
            raise Decline
        if limit is not None and len(value) > limit:
            raise Decline
        return [inner(item) for item in value]

    return load


def _dict(field: fields.Dict) -> Loader:
    """Copy a mapping whose keys the field accepts."""
    if field.value_field is not None:
        return _generic(field)
    key_loader = compile_field(field.key_field) if field.key_field is not None else None

    def load(value: Any) -> dict[Any, Any]:
        """Return a new dict with loaded keys."""
        if type(value) is not dict:
            raise Decline
        if key_loader is None:
            return dict(value)
        return {key_loader(k): v for k, v in value.items()}

    return load


def _free_form(field: FreeForm) -> Loader:
    """Copy a free-form object as FreeForm does, measuring its JSON size only when it may be big.

    A flat object of text, numbers and booleans cannot be deeper than the limit, and its JSON
    takes at most six bytes per character of text (an escape) plus quotes, colons and commas;
    under the limit by that bound it needs no json.dumps. Anything else gets the field's check.
    """

    def load(value: Any) -> dict[str, Any]:
        """Return a new dict of the object's items."""
        if type(value) is not dict:
            raise Decline
        bound = 2
        for key, item in value.items():
            if type(key) is not str or len(key) > MAX_FREE_FORM_KEY_LENGTH or has_controls(key):
                raise Decline
            kind = type(item)
            if kind is str and _encodes(key) and _encodes(item):
                if has_controls(item):
                    raise Decline
                bound += 6 * (len(key) + len(item)) + 8
            elif kind is bool or kind is int or kind is float or item is None:
                bound += 6 * len(key) + len(repr(item)) + 16
            else:
                bound = MAX_FREE_FORM_BYTES + 1
                break
        if bound > MAX_FREE_FORM_BYTES:
            check_free_form(value)
        return dict(value)

    return load


def _encodes(text: str) -> bool:
    """Tell whether text is valid UTF-8 material (no lone surrogates), as JSON output needs."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _folded_name(field: FoldedName) -> Loader:
    """Strip a name and refuse it, as FoldedName does, when its folded form is too long."""
    limit = field.max_length

    def check(text: str) -> str:
        """Return the stripped name."""
        text = _strip(text)
        if not text.isascii() and len(_fold(text)) > limit:  # ASCII never grows when folded
            raise Decline
        return text

    return _bounded(field, check)


def _generic(field: fields.Field) -> Loader:
    """Fall back on the field's own deserialisation for classes this module does not mirror."""

    def load(value: Any) -> Any:
        """Deserialise with marshmallow's field object."""
        return field._deserialize(value, None, None)

    return load


_SIMPLE: dict[type, Loader] = {
    fields.String: _string,
    fields.Integer: _integer,
    fields.Float: _float,
    fields.Boolean: _boolean,
}


def _value_loader(field: fields.Field) -> Loader:
    """Return the loader of a present, non-null value for one field."""
    kind = type(field)
    if kind is fields.Nested and not field.many and field.unknown in (None, "raise"):
        return compile_schema(field.schema)
    if kind in (fields.List, BoundedList):
        return _list(field)
    if kind is fields.Dict:
        return _dict(field)
    if kind is Choice:
        return _choice(field)
    if kind is Normalized:
        return _bounded(field, lru_cache(maxsize=1 << 12)(field.normalizer))
    if kind is FreeForm and not field.validators:
        return _free_form(field)
    if kind is FoldedName:
        return _folded_name(field)
    if kind is TrimmedString:
        return _bounded(field, _strip)
    if kind is BoundedString:
        return _bounded(field)
    if kind in _SIMPLE and not getattr(field, "strict", False):
        return _SIMPLE[kind]
    if kind is fields.Date and field.format in (None, "iso", "iso8601"):
        return _date
    return _generic(field)


_REQUIRED = object()


def _plan(field: fields.Field) -> tuple[Loader | None, bool, Any, tuple[Any, ...], Loader | None]:
    """Return (value loader, allow_none, default, validators, whole-field loader) of a field."""
    if getattr(field, "pre_load", None) or getattr(field, "post_load", None):
        return None, False, None, (), field.deserialize
    default = _REQUIRED if field.required else field.load_default
    validators = tuple(v for v in field.validators if not _checked_by_loader(field, v))
    return _value_loader(field), field.allow_none, default, validators, None


_LENGTH_CHECKED = {BoundedString: "max_length", TrimmedString: "max_length", Choice: "max_length",
                   FoldedName: "max_length", BoundedList: "max_items"}  # fmt: skip


def _checked_by_loader(field: fields.Field, validator: Any) -> bool:
    """Tell whether validator is the length limit the field's loader checks before loading.

    Those loaders refuse input over the limit and never lengthen it (Normalized may: its
    limit stays a validator of the normalised text).
    """
    limit = _LENGTH_CHECKED.get(type(field))
    return (
        limit is not None
        and type(validator) is validate.Length
        and validator.min is None
        and validator.equal is None
        and validator.max == getattr(field, limit)
    )


def compile_field(field: fields.Field) -> Loader:
    """Return a loader of one value of a field (list items, dict keys)."""
    value_loader, allow_none, default, validators, whole = _plan(field)
    if whole is not None:
        return whole

    def load(value: Any) -> Any:
        """Load one value, or return the load default when it is missing."""
        if value is missing:
            if default is _REQUIRED:
                raise Decline
            return default() if callable(default) else default
        if value is None:
            if allow_none:
                return None
            raise Decline
        output = value_loader(value)
        for validator in validators:
            if validator(output) is False:
                raise Decline
        return output

    return load


_COMPILED: dict[int, tuple[Schema, Loader]] = {}


def _supported(schema: Schema) -> bool:
    """Tell whether the schema uses only hooks this module mirrors."""
    hooks = schema._hooks
    return not (
        hooks[PRE_LOAD]
        or hooks[VALIDATES]
        or any(kw.get("pass_original") or many for _, many, kw in hooks[VALIDATES_SCHEMA])
        or any(kw.get("pass_original") or many for _, many, kw in hooks[POST_LOAD])
        or schema.unknown != "raise"
        or schema.many
    )


def compile_schema(schema: Schema) -> Loader:
    """Return a loader of a whole strict schema, cached per schema object."""
    if id(schema) in _COMPILED:
        return _COMPILED[id(schema)][1]
    if not _supported(schema):
        _COMPILED[id(schema)] = (schema, schema.load)
        return schema.load
    plan = [
        (name, field.data_key or name, *_plan(field)) for name, field in schema.load_fields.items()
    ]
    allowed = frozenset(entry[1] for entry in plan)
    checks = [getattr(schema, name) for name, _, _ in schema._hooks[VALIDATES_SCHEMA]]
    processors = [getattr(schema, name) for name, _, _ in schema._hooks[POST_LOAD]]
    unknown = schema.unknown

    def load(data: Any) -> dict[str, Any]:
        """Load one mapping: its fields, then the schema's validators and post-load hooks."""
        if type(data) is not dict or not allowed.issuperset(data):
            raise Decline
        out: dict[str, Any] = {}
        for name, key, value_loader, allow_none, default, validators, whole in plan:
            if whole is not None:
                value = whole(data.get(key, missing))
                if value is not missing:
                    out[name] = value
            elif key in data:
                value = data[key]
                if value is None:
                    if not allow_none:
                        raise Decline
                    out[name] = None
                    continue
                value = value_loader(value)
                for validator in validators:
                    if validator(value) is False:
                        raise Decline
                out[name] = value
            elif default is _REQUIRED:
                raise Decline
            elif default is not missing:
                out[name] = default() if callable(default) else default
        for check in checks:
            check(out, partial=None, many=False, unknown=unknown)
        for processor in processors:
            out = processor(out, partial=None, many=False, unknown=unknown)
        return out

    _COMPILED[id(schema)] = (schema, load)
    return load


_load_work = compile_schema(WORK_AGGREGATE)


def try_load_aggregate(data: Any) -> dict[str, Any] | None:
    """Return the loaded aggregate, or None when marshmallow must decide."""
    try:
        return _load_work(data)
    except (Decline, ValidationError, ValueError, TypeError, AttributeError, KeyError):
        return None


def load_aggregate(data: Any) -> dict[str, Any]:
    """Load an aggregate fast, falling back on WORK_AGGREGATE.load (and its errors)."""
    loaded = try_load_aggregate(data)
    return WORK_AGGREGATE.load(data) if loaded is None else loaded
