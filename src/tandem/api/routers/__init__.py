"""Routers of the API, one per context; each route parses, calls one service, maps the result."""

from __future__ import annotations

from fastapi import Request, Response

from tandem.api.errors import PROBLEM_RESPONSES

__all__ = ["PROBLEM_RESPONSES", "created"]


def created(request: Request, response: Response, route_name: str, **path_params: int) -> None:
    """Mark ``response`` as a creation: the caller finds the new resource at ``Location``."""
    response.status_code = 201
    response.headers["Location"] = request.url_for(route_name, **path_params).path
