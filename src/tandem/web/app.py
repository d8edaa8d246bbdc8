"""Mounts the web UI onto the application (to be completed)."""

from __future__ import annotations

from fastapi import FastAPI

from tandem.bootstrap import Container


def mount_web(app: FastAPI, container: Container) -> None:
    """Add the pages and the static files (htmx, styles) to ``app``."""
