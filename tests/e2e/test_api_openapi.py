"""The API describes itself: /openapi.json lists every route, /docs renders it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

ROUTES = {
    "/api/v1/auth/login": {"post"},
    "/api/v1/auth/logout": {"post"},
    "/api/v1/me": {"get"},
    "/api/v1/api-keys": {"get", "post"},
    "/api/v1/api-keys/{key_id}": {"delete"},
    "/api/v1/api-keys/{key_id}/revoke": {"post"},
    "/api/v1/network": {"get"},
    "/api/v1/members": {"get", "post"},
    "/api/v1/members/{member_id}": {"get", "put"},
    "/api/v1/members/{member_id}/users": {"post"},
    "/api/v1/sites": {"get", "post"},
    "/api/v1/sites/{site_id}": {"get", "put", "delete"},
    "/api/v1/items": {"get", "post"},
    "/api/v1/items/{item_id}": {"get", "put", "delete"},
    "/api/v1/lanes": {"get", "post"},
    "/api/v1/lanes/{lane_id}": {"get", "put", "delete"},
    "/api/v1/item-sites": {"get", "put"},
    "/api/v1/item-sites/{item_site_id}": {"get", "delete"},
    "/api/v1/bom-lines": {"get", "post"},
    "/api/v1/bom-lines/{line_id}": {"get", "delete"},
    "/api/v1/demand-history": {"get", "post"},
    "/api/v1/demand-history/series": {"get"},
    "/api/v1/forecasts": {"get"},
    "/api/v1/forecasts/totals": {"get"},
    "/api/v1/forecasts/accuracy": {"get"},
    "/api/v1/forecast-runs": {"post"},
    "/api/v1/grants": {"get", "post"},
    "/api/v1/grants/{grant_id}": {"get"},
    "/api/v1/grants/{grant_id}/revoke": {"post"},
    "/api/v1/audit-log": {"get"},
    "/api/v1/inventory/positions": {"get"},
    "/api/v1/inventory/positions/{position_id}": {"get"},
    "/api/v1/inventory/movements": {"get", "post"},
    "/api/v1/inventory/movements/{movement_id}": {"get"},
    "/api/v1/inventory/transfers": {"post"},
    "/api/v1/inventory/lots": {"get"},
    "/api/v1/inventory/ledger-check": {"get"},
    "/api/v1/inventory/allocations": {"post"},
    "/api/v1/inventory/allocations/{allocation_id}": {"get"},
    "/api/v1/inventory/allocations/{allocation_id}/release": {"post"},
    "/api/v1/customers": {"get", "post"},
    "/api/v1/customers/{customer_id}": {"get", "put"},
    "/api/v1/customer-orders": {"get", "post"},
    "/api/v1/customer-orders/atp": {"get"},
    "/api/v1/customer-orders/{order_id}": {"get"},
    "/api/v1/customer-orders/{order_id}/promise": {"post"},
    "/api/v1/customer-orders/{order_id}/ship": {"post"},
    "/api/v1/customer-orders/{order_id}/cancel": {"post"},
    "/api/v1/purchase-orders": {"get", "post"},
    "/api/v1/purchase-orders/inbox": {"get"},
    "/api/v1/purchase-orders/{order_id}": {"get"},
    "/api/v1/purchase-orders/{order_id}/history": {"get"},
    "/api/v1/purchase-orders/{order_id}/lines": {"put"},
    "/api/v1/purchase-orders/{order_id}/submit": {"post"},
    "/api/v1/purchase-orders/{order_id}/acknowledge": {"post"},
    "/api/v1/purchase-orders/{order_id}/cancel": {"post"},
    "/api/v1/purchase-orders/{order_id}/close": {"post"},
    "/api/v1/purchase-orders/{order_id}/change-requests": {"get", "post"},
    "/api/v1/purchase-orders/{order_id}/change-requests/{change_id}": {"get"},
    "/api/v1/purchase-orders/{order_id}/change-requests/{change_id}/accept": {"post"},
    "/api/v1/purchase-orders/{order_id}/change-requests/{change_id}/reject": {"post"},
    "/api/v1/purchase-orders/{order_id}/change-requests/{change_id}/withdraw": {"post"},
    "/api/v1/agreements/trade-terms": {"get", "put"},
    "/api/v1/agreements": {"get", "post"},
    "/api/v1/agreements/{agreement_id}": {"get"},
    "/api/v1/shipments": {"get", "post"},
    "/api/v1/shipments/discrepancies": {"get"},
    "/api/v1/shipments/{shipment_id}": {"get"},
    "/api/v1/receipts/{receipt_id}": {"get"},
    "/api/v1/receipts": {"post"},
    "/api/v1/epcis/events": {"get"},
    "/api/v1/invoices": {"get", "post"},
    "/api/v1/invoices/{invoice_id}": {"get"},
    "/api/v1/invoices/{invoice_id}/rematch": {"post"},
    "/api/v1/invoices/{invoice_id}/release": {"post"},
    "/api/v1/invoices/{invoice_id}/credit-notes": {"post"},
    "/api/v1/payments": {"get", "post"},
    "/api/v1/payments/{payment_id}": {"get"},
    "/api/v1/finance/trial-balance": {"get"},
    "/api/v1/finance/journal": {"get"},
    "/api/v1/finance/ageing": {"get"},
    "/api/v1/finance/dunning-runs": {"post"},
    "/api/v1/performance/supplier-scorecards": {"get"},
    "/api/v1/performance/supplier-scorecards/{seller_member_id}": {"get"},
    "/api/v1/performance/cash-to-cash": {"get"},
    "/api/v1/performance/cash-to-cash/network": {"get"},
    "/api/v1/signals": {"get", "post"},
    "/api/v1/signals/csv": {"post"},
    "/api/v1/devices": {"get", "post"},
    "/api/v1/devices/{device_id}": {"get"},
    "/api/v1/devices/{device_id}/deactivate": {"post"},
    "/api/v1/feedback": {"post"},
    "/api/v1/feedback/summary": {"get"},
    "/api/v1/inventory-proposals": {"get"},
    "/api/v1/inventory-proposals/{proposal_id}": {"get"},
    "/api/v1/inventory-proposals/{proposal_id}/votes": {"post"},
    "/api/v1/inventory-proposals/{proposal_id}/withdraw": {"post"},
    "/api/v1/inventory-proposals/{proposal_id}/events": {"get"},
}


def test_openapi_lists_every_route_with_problem_errors(api_world: ApiWorld) -> None:
    response = api_world.client.get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    api_paths = {p: set(ops) for p, ops in document["paths"].items() if p.startswith("/api/")}
    assert api_paths == ROUTES
    errors = document["paths"]["/api/v1/sites/{site_id}"]["put"]["responses"]
    assert sorted(errors) == ["200", "400", "401", "403", "404", "409", "412", "422"]
    assert set(errors["404"]["content"]) == {"application/problem+json"}
    assert set(document["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}


def test_docs_page_is_served(api_world: ApiWorld) -> None:
    response = api_world.client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
