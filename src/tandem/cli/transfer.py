"""``tandem import network FILE`` and ``tandem export network FILE`` (to be completed)."""

from __future__ import annotations
