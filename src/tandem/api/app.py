"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from tandem.bootstrap import Container


def create_app(container: Container) -> FastAPI:
    app = FastAPI(title="Tandem", version="0.1.0")
    app.state.container = container
    return app
