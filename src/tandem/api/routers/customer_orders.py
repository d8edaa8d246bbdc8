"""Customer orders (to be filled)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/customer-orders", tags=["customer orders"])
