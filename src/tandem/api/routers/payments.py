"""Payments (to be filled)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/payments", tags=["payments"])
