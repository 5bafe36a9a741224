"""Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from registry.api.errors import RegistryApi, register_error_handlers
from registry.api.fast_search import FastWorkSearch
from registry.api.health import blp as health_blp
from registry.api.jsonprovider import OrjsonProvider
from registry.auth.hooks import init_auth
from registry.auth.limits import fast_path_gate, init_limits
from registry.context import Registry
from schemas.openapi import register_components


def create_app(config: dict[str, Any] | None = None, registry: Registry | None = None) -> Flask:
    """Create the registry's Flask application."""
    registry = registry or Registry.from_settings(config)
    app = Flask("registry", instance_path=str(registry.settings.instance_path))
    app.json = OrjsonProvider(app)
    app.config.update(
        API_TITLE="Audiovisual Rights Registry",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        TESTING=registry.settings.testing,
    )
    app.extensions["registry"] = registry
    api = RegistryApi(app)
    register_components(api.spec, api.ma_plugin)
    register_error_handlers(app)
    init_auth(app)
    limiter = init_limits(app, registry.settings)
    app.register_blueprint(health_blp)
    from registry.api import register_api_blueprints

    register_api_blueprints(api)
    from registry.web import init_web

    init_web(app)
    app.wsgi_app = FastWorkSearch(  # type: ignore[method-assign]
        app.wsgi_app, registry, refuse=fast_path_gate(app, limiter, "works.search")
    )
    return app
