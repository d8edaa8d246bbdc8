"""Service tests run on the in-memory twins."""

from __future__ import annotations

import pytest
from tests.support import PASSWORD, World, small_snapshot

from tandem.domain.identity import Principal
from tandem.services import identity, transfer
from tandem.services.context import ServiceContext


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    summary = transfer.import_snapshot(ctx, small_snapshot())

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    return World(
        ctx,
        sign_in("roaster@example.com"),
        sign_in("cafe@example.com"),
        sign_in("beans@example.com"),
        summary.network_id,
    )
