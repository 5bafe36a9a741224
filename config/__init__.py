"""Settings of the registry: embedded defaults overridable by REGISTRY_* variables."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
