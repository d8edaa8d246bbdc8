"""Purchase orders (to be filled)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/purchase-orders", tags=["purchase orders"])
