"""The network map, member, site and item pages."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import WebNetwork

Http = Callable[[str | None], httpx.Client]


@pytest.mark.browser
def test_network_map_draws_one_marker_per_site_and_one_line_per_lane(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    page = signed_in(web_network.cafe)

    svg = page.locator("svg.network-map")
    expect(svg).to_be_visible()
    markers = svg.locator("circle.map-site")
    expect(markers).to_have_count(4)
    codes = sorted(markers.evaluate_all("nodes => nodes.map(n => n.dataset.siteCode)"))
    assert codes == ["CAFE-1", "CAFE-2", "PLANT", "PORT"]
    expect(svg.locator("path.map-lane")).to_have_count(3)
    expect(svg.locator("circle[data-site-code='PORT'] > title")).to_have_text(
        "PORT — Port warehouse · Warehouse · Bean importer"
    )
    expect(page.locator(".legend-entry")).to_have_text(
        ["Plant", "Warehouse", "Store", "Full truckload", "Van"]
    )
    rows = page.locator("#members tbody tr")
    expect(rows.locator("td:first-child a")).to_have_text(
        ["Bean importer", "Cafe chain", "Roaster"]
    )
    expect(rows.get_by_test_id("sites-of-member")).to_have_text(["1", "2", "1"])


@pytest.mark.browser
def test_clicking_a_site_on_the_map_opens_the_site_page(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    page = signed_in(web_network.cafe)

    page.locator("circle[data-site-code='PLANT']").click()

    expect(page.locator("h1")).to_have_text("Roastery")
    expect(page.locator("#lanes-out tbody tr td:first-child a")).to_have_text(["CAFE-1", "CAFE-2"])
    expect(page.locator("#lanes-in tbody tr td:first-child a")).to_have_text(["PORT"])


@pytest.mark.browser
def test_network_page_screenshot_is_a_real_picture(
    signed_in: Callable[[str], Page], web_network: WebNetwork, tmp_path: Path
) -> None:
    page = signed_in(web_network.cafe)
    expect(page.locator("svg.network-map path.map-land")).to_be_attached()

    picture = tmp_path / "network.png"
    page.screenshot(path=str(picture), full_page=True)

    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1280
    assert height >= 860
    assert len(data) > 40_000  # a map, tables and text; a blank page is a few kB


def test_owner_sees_its_site_in_full(http: Http, web_network: WebNetwork) -> None:
    page = http(web_network.cafe).get(f"/sites/{web_network.sites['CAFE-1']}").text

    assert 'data-item-sku="LATTE"' in page
    assert 'data-item-sku="FLATW"' in page
    assert '<td class="num" data-testid="demand-total">1,195 cup</td>' in page
    assert '<td class="num" data-testid="demand-recent">1,120</td>' in page
    assert '<td class="num" data-testid="demand-total">445 cup</td>' in page
    assert "60 daily observations; the last 28 days run from" in page
    assert "not shared with you" not in page


def test_partner_site_without_grants_shows_nothing_owned(
    http: Http, web_network: WebNetwork
) -> None:
    page = http(web_network.roaster).get(f"/sites/{web_network.sites['CAFE-1']}").text

    assert 'data-testid="stocking-not-shared"' in page
    assert 'data-testid="demand-not-shared"' in page
    assert "data-item-sku" not in page


def test_member_page_lists_its_sites_and_items(http: Http, web_network: WebNetwork) -> None:
    page = http(web_network.roaster).get(f"/members/{web_network.members['CAFE']}").text

    assert "<h1>Cafe chain</h1>" in page
    for site in ("CAFE-1", "CAFE-2"):
        assert f'<a href="/sites/{web_network.sites[site]}">{site}</a>' in page
    for sku in ("LATTE", "FLATW"):
        assert f'<a href="/items/{web_network.items[sku]}">{sku}</a>' in page
    assert "PLANT" not in page


def test_item_page_shows_the_bill_of_materials_to_its_owner_only(
    http: Http, web_network: WebNetwork
) -> None:
    path = f"/items/{web_network.items['LATTE']}"

    own = http(web_network.cafe).get(path).text
    partner = http(web_network.roaster).get(path).text

    assert 'data-component-sku="BLEND"' in own
    assert '<td class="num">0.02</td>' in own  # 0.018 kg shown to two decimals
    assert 'data-testid="bom-not-shared"' not in own
    assert 'data-component-sku="BLEND"' not in partner
    assert 'data-testid="bom-not-shared"' in partner


def test_item_catalogue_filters_by_owner(http: Http, web_network: WebNetwork) -> None:
    client = http(web_network.beans)

    everything = client.get("/items").text
    cafe_only = client.get(f"/items?member_id={web_network.members['CAFE']}").text

    skus = ("BLEND", "FLATW", "GREEN", "LATTE")
    assert [f">{sku}</a>" in everything for sku in skus] == [True, True, True, True]
    assert [f">{sku}</a>" in cafe_only for sku in skus] == [False, True, False, True]


def test_htmx_asks_for_the_map_alone(http: Http, web_network: WebNetwork) -> None:
    client = http(web_network.cafe)

    fragment = client.get("/network?extent=all", headers={"HX-Request": "true"}).text
    restored = client.get(
        "/network?extent=all",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ).text

    assert fragment.count('class="map-site"') == 4
    assert "<html" not in fragment
    assert 'id="members"' not in fragment
    assert restored.startswith("<!doctype html>")
    assert 'id="members"' in restored
