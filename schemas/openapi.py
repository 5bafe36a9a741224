"""Generate OpenAPI / JSON Schema components from the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from schemas.aggregate import WorkAggregateSchema
from schemas.field_docs import describe
from schemas.fields import Choice


def choice_enum(self: Any, field: fields.Field, **_: Any) -> dict[str, Any]:
    """Expose a Choice field's vocabulary as an enum and its documented meaning."""
    extra: dict[str, Any] = {}
    if isinstance(field, Choice):
        extra["enum"] = list(field.choices)
    parent = getattr(field, "parent", None)
    owner = getattr(field, "root", None) or parent
    name = type(owner).__name__.removesuffix("Schema") if owner is not None else ""
    text = describe(name, field.name or "")
    if text:
        extra["description"] = text
    return extra


def register_components(spec: APISpec, plugin: MarshmallowPlugin) -> None:
    """Add the work aggregate and its parts to a spec."""
    plugin.converter.add_attribute_function(choice_enum)
    spec.components.schema("WorkAggregate", schema=WorkAggregateSchema)


def aggregate_components() -> dict[str, Any]:
    """Return the components of the shared schema as a plain dict."""
    plugin = MarshmallowPlugin()
    spec = APISpec("Shared metadata schema", "1", "3.0.3", plugins=[plugin])
    register_components(spec, plugin)
    return spec.to_dict()["components"]["schemas"]
