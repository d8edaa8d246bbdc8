"""ASGI entry point for servers that start several worker processes.

``uvicorn tandem.api.asgi:build --factory --workers 2``: each worker builds its own settings,
engine and app at start-up (never at import), from ``TANDEM_*`` environment variables.
"""

from __future__ import annotations

from fastapi import FastAPI

from tandem.api.app import create_app
from tandem.bootstrap import bootstrap
from tandem.config import Settings


def build() -> FastAPI:
    return create_app(bootstrap(Settings()))
