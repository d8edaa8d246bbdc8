"""Static data of the demo coffee network, as compact tuples read by ``demo_network``.

The companies are invented; the places and coordinates are real. Green coffee is bought at
origin (Santos, Buenaventura) and held bonded in Hamburg's Speicherstadt, roasted in
Hamburg-Harburg, distributed from three regional centres to a German café chain whose smart
bean-to-cup machines (one or two per café) make the drinks. Money is in EUR; units are ``kg``,
``l``, ``pcs``, ``bag`` and ``cup``.
"""

from __future__ import annotations

from typing import Final

from tandem.domain.network import MemberRole, SiteKind, TransportMode

Weekly = tuple[float, float, float, float, float, float, float]
Recipe = tuple[tuple[str, float], ...]
MemberSpec = tuple[str, str, tuple[MemberRole, ...], str, str, str]
SiteSpec = tuple[str, str, str, SiteKind, float, float, str, str]
CafeSpec = tuple[str, str, str, float, float, str, float, str, int]
GreenSpec = tuple[str, str, float, float]
BlendSpec = tuple[str, str, float, float, Recipe]
PackSpec = tuple[str, str, str, float, str, float]
SupplySpec = tuple[str, str, str, str, float, str]
DrinkSpec = tuple[str, str, float, Recipe]
DemandSpec = tuple[str, float, float]
LaneSpec = tuple[str, str, TransportMode, float, float, float, float | None]

# code, name, roles, country, e-mail domain (without .example), planner's name
MEMBERS: Final[tuple[MemberSpec, ...]] = (
    ("VERDE", "Verde Green Coffee Importers GmbH", (MemberRole.SUPPLIER,), "DE",
     "verde-green-coffee", "Jonas Weber"),
    ("ALPENMILCH", "Alpenmilch Molkerei eG", (MemberRole.SUPPLIER,), "DE", "alpenmilch",
     "Anna Huber"),
    ("CUPWORKS", "Cupworks Café Supplies B.V.", (MemberRole.SUPPLIER,), "NL", "cupworks",
     "Sanne de Vries"),
    ("ELBE", "Elbe Roasting Company GmbH", (MemberRole.MANUFACTURER,), "DE", "elbe-roasting",
     "Lena Vogt"),
    ("NORDLOG", "Nordlog Distribution GmbH", (MemberRole.DISTRIBUTOR,), "DE", "nordlog",
     "Mehmet Yilmaz"),
    ("HANSA", "Hansa Freight Lines GmbH", (MemberRole.CARRIER,), "DE", "hansa-freight",
     "Tobias Schulz"),
    ("BOHNE", "Bohne & Milch Cafés GmbH", (MemberRole.RETAILER,), "DE", "bohne-milch",
     "Clara Fischer"),
)  # fmt: skip
ADMIN_MEMBER: Final[str] = "ELBE"
RETAILER: Final[str] = "BOHNE"

# code, member, name, kind, latitude, longitude, city, country
SITES: Final[tuple[SiteSpec, ...]] = (
    ("VRD-SANTOS", "VERDE", "Verde origin warehouse Santos", SiteKind.SUPPLIER_SITE,
     -23.9608, -46.3336, "Santos", "BR"),
    ("VRD-BUENAVENTURA", "VERDE", "Verde origin warehouse Buenaventura", SiteKind.SUPPLIER_SITE,
     3.8801, -77.0312, "Buenaventura", "CO"),
    ("VRD-HAMBURG", "VERDE", "Verde bonded warehouse Speicherstadt", SiteKind.WAREHOUSE,
     53.5436, 9.9886, "Hamburg", "DE"),
    ("ALP-KEMPTEN", "ALPENMILCH", "Alpenmilch dairy Kempten", SiteKind.SUPPLIER_SITE,
     47.7267, 10.3139, "Kempten (Allgäu)", "DE"),
    ("CPW-VENLO", "CUPWORKS", "Cupworks plant Venlo", SiteKind.SUPPLIER_SITE,
     51.3704, 6.1724, "Venlo", "NL"),
    ("ELB-HARBURG", "ELBE", "Elbe roasting plant Harburg", SiteKind.PLANT,
     53.4606, 9.9800, "Hamburg", "DE"),
    ("DC-N", "NORDLOG", "Nordlog DC North Billbrook", SiteKind.DISTRIBUTION_CENTRE,
     53.5370, 10.0840, "Hamburg", "DE"),
    ("DC-W", "NORDLOG", "Nordlog DC West Unna", SiteKind.DISTRIBUTION_CENTRE,
     51.5347, 7.6890, "Unna", "DE"),
    ("DC-S", "NORDLOG", "Nordlog DC South Eching", SiteKind.DISTRIBUTION_CENTRE,
     48.3000, 11.6167, "Eching", "DE"),
    ("HUB-KASSEL", "HANSA", "Hansa cross-dock hub Lohfelden", SiteKind.CARRIER_HUB,
     51.2667, 9.5333, "Kassel", "DE"),
)  # fmt: skip

# code, name, city, latitude, longitude, serving DC, size factor, weekly pattern, machines
CAFES: Final[tuple[CafeSpec, ...]] = (
    ("CAFE-01", "Jungfernstieg", "Hamburg", 53.5527, 9.9926, "DC-N", 1.5, "high_street", 2),
    ("CAFE-02", "Schanzenviertel", "Hamburg", 53.5636, 9.9633, "DC-N", 1.0, "neighbourhood", 1),
    ("CAFE-03", "Domshof", "Bremen", 53.0763, 8.8087, "DC-N", 0.9, "high_street", 1),
    ("CAFE-04", "Hannover Hauptbahnhof", "Hannover", 52.3766, 9.7410, "DC-N", 1.3, "station", 1),
    ("CAFE-05", "Hackescher Markt", "Berlin", 52.5225, 13.4020, "DC-N", 1.2, "high_street", 1),
    ("CAFE-06", "Bergmannkiez", "Berlin", 52.4893, 13.3916, "DC-N", 0.8, "neighbourhood", 1),
    ("CAFE-07", "Domplatte", "Köln", 50.9413, 6.9583, "DC-W", 1.3, "high_street", 1),
    ("CAFE-08", "Königsallee", "Düsseldorf", 51.2240, 6.7790, "DC-W", 1.1, "office", 1),
    ("CAFE-09", "Westenhellweg", "Dortmund", 51.5142, 7.4627, "DC-W", 0.9, "high_street", 1),
    ("CAFE-10", "Essen Hauptbahnhof", "Essen", 51.4514, 7.0139, "DC-W", 1.0, "station", 1),
    ("CAFE-11", "Hauptwache", "Frankfurt am Main", 50.1140, 8.6785, "DC-W", 1.2, "office", 1),
    ("CAFE-12", "Marienplatz", "München", 48.1374, 11.5755, "DC-S", 1.4, "high_street", 1),
    ("CAFE-13", "Münchner Freiheit", "München", 48.1618, 11.5862, "DC-S", 0.9, "neighbourhood", 1),
    ("CAFE-14", "Schlossplatz", "Stuttgart", 48.7784, 9.1800, "DC-S", 1.0, "office", 1),
    ("CAFE-15", "Hauptmarkt", "Nürnberg", 49.4539, 11.0775, "DC-S", 0.9, "high_street", 1),
    ("CAFE-16", "Rathausplatz", "Augsburg", 48.3689, 10.8979, "DC-S", 0.8, "neighbourhood", 1),
)  # fmt: skip

# Relative demand Monday … Sunday.
WEEKLY: Final[dict[str, Weekly]] = {
    "high_street": (0.90, 0.90, 0.95, 1.00, 1.10, 1.40, 0.75),
    "office": (1.20, 1.20, 1.20, 1.15, 1.05, 0.60, 0.60),
    "station": (1.10, 1.05, 1.05, 1.05, 1.15, 0.85, 0.75),
    "neighbourhood": (0.85, 0.85, 0.90, 0.90, 1.00, 1.30, 1.20),
    "wholesale": (1.30, 1.20, 1.20, 1.20, 1.10, 0.00, 0.00),
}

# sku, name, EUR per kg, jute bag kg (green coffee, owned by VERDE)
GREEN: Final[tuple[GreenSpec, ...]] = (
    ("GC-BR-SANTOS", "Green coffee Brazil Santos NY2 17/18 fine cup", 4.60, 60.0),
    ("GC-CO-SUPREMO", "Green coffee Colombia Supremo 18 Huila", 5.80, 70.0),
    ("GC-CO-DECAF", "Green coffee Colombia EA decaf (sugar cane)", 6.90, 70.0),
    ("GC-ET-YIRGA", "Green coffee Ethiopia Yirgacheffe grade 2 washed", 7.40, 60.0),
    ("GC-GT-HUEHUE", "Green coffee Guatemala Huehuetenango SHB", 6.20, 69.0),
    ("GC-VN-ROBUSTA", "Green coffee Vietnam Robusta grade 1 screen 18", 4.10, 60.0),
    ("GC-KE-AA", "Green coffee Kenya AA Nyeri", 8.30, 60.0),
)

# bulk sku, name, EUR per kg, roast yield (kg roasted per kg green), green shares
BLENDS: Final[tuple[BlendSpec, ...]] = (
    ("RB-HOUSE", "House Espresso Blend, roasted bulk", 8.90, 0.85,
     (("GC-BR-SANTOS", 0.6), ("GC-CO-SUPREMO", 0.4))),
    ("RB-CREMA", "Crema Italiana Blend, roasted bulk", 8.10, 0.84,
     (("GC-BR-SANTOS", 0.5), ("GC-VN-ROBUSTA", 0.3), ("GC-GT-HUEHUE", 0.2))),
    ("RB-FILTER", "Hanseatic Filter Blend, roasted bulk", 9.40, 0.86,
     (("GC-CO-SUPREMO", 0.4), ("GC-ET-YIRGA", 0.3), ("GC-GT-HUEHUE", 0.2), ("GC-KE-AA", 0.1))),
    ("RB-ETHIOPIA", "Ethiopia Yirgacheffe single origin, roasted bulk", 11.20, 0.87,
     (("GC-ET-YIRGA", 1.0),)),
    ("RB-DECAF", "Decaf Espresso Blend, roasted bulk", 10.10, 0.85, (("GC-CO-DECAF", 1.0),)),
)  # fmt: skip

# sku, name, bulk sku, kg roasted per bag, valve bag sku, EUR per bag (owned by ELBE)
PACKS: Final[tuple[PackSpec, ...]] = (
    ("RC-HOUSE-1KG", "House Espresso Blend 1kg", "RB-HOUSE", 1.0, "PK-VALVE-1KG", 17.90),
    ("RC-HOUSE-500", "House Espresso Blend 500g", "RB-HOUSE", 0.5, "PK-VALVE-500", 9.90),
    ("RC-HOUSE-250", "House Espresso Blend 250g", "RB-HOUSE", 0.25, "PK-VALVE-250", 5.90),
    ("RC-CREMA-1KG", "Crema Italiana 1kg", "RB-CREMA", 1.0, "PK-VALVE-1KG", 15.90),
    ("RC-CREMA-250", "Crema Italiana 250g", "RB-CREMA", 0.25, "PK-VALVE-250", 4.90),
    ("RC-FILTER-1KG", "Hanseatic Filter 1kg", "RB-FILTER", 1.0, "PK-VALVE-1KG", 16.90),
    ("RC-FILTER-250", "Hanseatic Filter 250g", "RB-FILTER", 0.25, "PK-VALVE-250", 5.50),
    ("RC-ETHIOPIA-250", "Ethiopia Yirgacheffe 250g", "RB-ETHIOPIA", 0.25, "PK-VALVE-250", 7.90),
    ("RC-DECAF-1KG", "Decaf Espresso 1kg", "RB-DECAF", 1.0, "PK-VALVE-1KG", 18.90),
    ("RC-DECAF-250", "Decaf Espresso 250g", "RB-DECAF", 0.25, "PK-VALVE-250", 6.50),
)

# sku, member, name, unit, EUR per unit, family
SUPPLIES: Final[tuple[SupplySpec, ...]] = (
    ("PK-VALVE-1KG", "CUPWORKS", "Aroma valve bag 1kg, kraft", "pcs", 0.32, "packaging"),
    ("PK-VALVE-500", "CUPWORKS", "Aroma valve bag 500g, kraft", "pcs", 0.24, "packaging"),
    ("PK-VALVE-250", "CUPWORKS", "Aroma valve bag 250g, kraft", "pcs", 0.18, "packaging"),
    ("MLK-WHOLE", "ALPENMILCH", "Barista whole milk 3.5%", "l", 1.15, "milk"),
    ("MLK-LOWFAT", "ALPENMILCH", "Barista semi-skimmed milk 1.5%", "l", 1.05, "milk"),
    ("MLK-LACTFREE", "ALPENMILCH", "Barista lactose-free milk 3.5%", "l", 1.45, "milk"),
    ("MLK-OAT", "ALPENMILCH", "Oat barista drink", "l", 1.95, "milk"),
    ("CUP-4OZ", "CUPWORKS", "Espresso cup 4 oz, paper", "pcs", 0.04, "cups"),
    ("CUP-8OZ", "CUPWORKS", "Double-wall cup 8 oz", "pcs", 0.07, "cups"),
    ("CUP-12OZ", "CUPWORKS", "Double-wall cup 12 oz", "pcs", 0.09, "cups"),
    ("CUP-16OZ", "CUPWORKS", "Double-wall cup 16 oz", "pcs", 0.11, "cups"),
    ("LID-80", "CUPWORKS", "Sip lid 80 mm (8 oz)", "pcs", 0.03, "cups"),
    ("LID-90", "CUPWORKS", "Sip lid 90 mm (12 and 16 oz)", "pcs", 0.035, "cups"),
    ("STRAW-PAPER", "CUPWORKS", "Paper straw 8 mm", "pcs", 0.02, "cups"),
    ("SYR-VANILLA", "CUPWORKS", "Vanilla syrup", "l", 7.80, "syrup"),
    ("SYR-CARAMEL", "CUPWORKS", "Caramel syrup", "l", 7.80, "syrup"),
    ("SYR-HAZELNUT", "CUPWORKS", "Hazelnut syrup", "l", 7.80, "syrup"),
    ("SYR-PUMPKIN", "CUPWORKS", "Pumpkin spice syrup (seasonal)", "l", 9.20, "syrup"),
    ("SYR-GINGERBREAD", "CUPWORKS", "Gingerbread syrup (seasonal)", "l", 9.20, "syrup"),
)

# Shipping weight (kg) and volume (m³) per unit by family, packed for transport: green coffee in
# jute bags (~630 kg/m³), roasted bulk in bins (~370 kg/m³), milk and syrup in cartons and
# bottles on pallets, cups nested in sleeves. A bag of roasted coffee weighs its contents plus 3 %.
SHIPPING: Final[dict[str, tuple[float, float]]] = {
    "green_coffee": (1.0, 0.0016),
    "roasted_bulk": (1.0, 0.0027),
    "packaging": (0.012, 0.00005),
    "milk": (1.03, 0.0011),
    "cups": (0.01, 0.00012),
    "syrup": (1.3, 0.0012),
}

_H, _F, _D = "RC-HOUSE-1KG", "RC-FILTER-1KG", "RC-DECAF-1KG"
_WHOLE, _C12, _C16, _L90 = "MLK-WHOLE", "CUP-12OZ", "CUP-16OZ", "LID-90"

# Drinks (owned by BOHNE, made by the machines): sku, name, EUR per cup, recipe (component, qty);
# a double shot is 18 g of beans, i.e. 0.018 of a 1 kg bag.
DRINKS: Final[tuple[DrinkSpec, ...]] = (
    ("DRK-ESPRESSO", "Espresso", 2.20, ((_H, 0.009), ("CUP-4OZ", 1.0))),
    ("DRK-DOPPIO", "Doppio", 2.90, ((_H, 0.018), ("CUP-4OZ", 1.0))),
    ("DRK-AMERICANO-M", "Americano regular (12 oz)", 3.10, ((_H, 0.018), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-CAPPU-M", "Cappuccino regular (12 oz)", 3.70,
     ((_H, 0.018), (_WHOLE, 0.15), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-CAPPU-L", "Cappuccino large (16 oz)", 4.30,
     ((_H, 0.018), (_WHOLE, 0.22), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-LATTE-M", "Latte regular (12 oz)", 3.90,
     ((_H, 0.018), (_WHOLE, 0.25), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-LATTE-L", "Latte large (16 oz)", 4.60,
     ((_H, 0.018), (_WHOLE, 0.35), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-FLATWHITE-S", "Flat white (8 oz)", 3.80,
     ((_H, 0.018), (_WHOLE, 0.12), ("CUP-8OZ", 1.0), ("LID-80", 1.0))),
    ("DRK-OATLATTE-L", "Oat latte large (16 oz)", 5.10,
     ((_H, 0.018), ("MLK-OAT", 0.35), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-VANILLA-L", "Vanilla latte large (16 oz)", 5.20,
     ((_H, 0.018), (_WHOLE, 0.33), ("SYR-VANILLA", 0.02), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-CARAMEL-L", "Caramel macchiato large (16 oz)", 5.30,
     ((_H, 0.018), (_WHOLE, 0.33), ("SYR-CARAMEL", 0.02), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-HAZELNUT-M", "Hazelnut latte regular (12 oz)", 4.60,
     ((_H, 0.018), (_WHOLE, 0.23), ("SYR-HAZELNUT", 0.015), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-PUMPKIN-L", "Pumpkin spice latte large (16 oz)", 5.60,
     ((_H, 0.018), (_WHOLE, 0.32), ("SYR-PUMPKIN", 0.025), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-GINGER-L", "Gingerbread latte large (16 oz)", 5.60,
     ((_H, 0.018), (_WHOLE, 0.32), ("SYR-GINGERBREAD", 0.025), (_C16, 1.0), (_L90, 1.0))),
    ("DRK-ICEDLATTE-L", "Iced latte large (16 oz)", 4.90,
     ((_H, 0.018), ("MLK-LOWFAT", 0.28), (_C16, 1.0), (_L90, 1.0), ("STRAW-PAPER", 1.0))),
    ("DRK-COLDBREW-M", "Cold brew regular (12 oz)", 4.20,
     ((_F, 0.03), (_C12, 1.0), (_L90, 1.0), ("STRAW-PAPER", 1.0))),
    ("DRK-FILTER-M", "Filter coffee regular (12 oz)", 2.90,
     ((_F, 0.015), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-DECAFCAPPU-M", "Decaf cappuccino regular (12 oz)", 3.90,
     ((_D, 0.018), (_WHOLE, 0.15), (_C12, 1.0), (_L90, 1.0))),
    ("DRK-LFLATTE-M", "Lactose-free latte regular (12 oz)", 4.20,
     ((_H, 0.018), ("MLK-LACTFREE", 0.25), (_C12, 1.0), (_L90, 1.0))),
)  # fmt: skip

# Every machine sells the core menu plus one further drink, rotating through the rest.
CORE_MENU: Final[tuple[str, ...]] = (
    "DRK-ESPRESSO", "DRK-CAPPU-M", "DRK-LATTE-L", "DRK-AMERICANO-M"
)  # fmt: skip

# Drink demand per machine of an average café: cups a day, growth a year (negative: linear
# decline), yearly amplitude, peak month, occurrence (below 1: intermittent).
DRINK_DEMAND: Final[dict[str, tuple[float, float, float, int, float]]] = {
    "DRK-ESPRESSO": (28.0, 0.03, 0.10, 1, 1.0),
    "DRK-DOPPIO": (9.0, 0.03, 0.10, 1, 1.0),
    "DRK-AMERICANO-M": (22.0, 0.02, 0.12, 1, 1.0),
    "DRK-CAPPU-M": (34.0, 0.04, 0.15, 1, 1.0),
    "DRK-CAPPU-L": (18.0, 0.04, 0.15, 1, 1.0),
    "DRK-LATTE-M": (24.0, 0.05, 0.15, 12, 1.0),
    "DRK-LATTE-L": (38.0, 0.06, 0.15, 12, 1.0),
    "DRK-FLATWHITE-S": (14.0, 0.12, 0.10, 2, 1.0),
    "DRK-OATLATTE-L": (12.0, 0.30, 0.10, 1, 1.0),
    "DRK-VANILLA-L": (10.0, 0.05, 0.20, 12, 1.0),
    "DRK-CARAMEL-L": (9.0, 0.05, 0.20, 11, 1.0),
    "DRK-HAZELNUT-M": (6.0, 0.02, 0.25, 12, 1.0),
    "DRK-PUMPKIN-L": (9.0, 0.10, 1.40, 10, 1.0),
    "DRK-GINGER-L": (8.0, 0.08, 1.50, 12, 1.0),
    "DRK-ICEDLATTE-L": (12.0, 0.15, 0.90, 7, 1.0),
    "DRK-COLDBREW-M": (8.0, 0.20, 1.00, 7, 1.0),
    "DRK-FILTER-M": (10.0, -0.08, 0.10, 1, 1.0),
    "DRK-DECAFCAPPU-M": (3.0, 0.02, 0.10, 1, 0.6),
    "DRK-LFLATTE-M": (5.0, 0.08, 0.10, 1, 1.0),
}

# Retail bags sold over the café counter: bags a day, occurrence. Every café sells the first;
# each also sells one of the others, rotating. Gifts peak in December.
RETAIL_DEMAND: Final[tuple[DemandSpec, ...]] = (
    ("RC-HOUSE-250", 4.0, 1.0),
    ("RC-HOUSE-500", 1.5, 0.6),
    ("RC-CREMA-250", 1.2, 0.5),
    ("RC-FILTER-250", 1.5, 0.6),
    ("RC-ETHIOPIA-250", 0.8, 0.3),
    ("RC-DECAF-250", 0.5, 0.25),
)

# Wholesale 1 kg bags shipped from each DC to offices and hotels: bags a day, occurrence.
WHOLESALE_DEMAND: Final[tuple[DemandSpec, ...]] = (
    ("RC-HOUSE-1KG", 45.0, 1.0),
    ("RC-CREMA-1KG", 25.0, 1.0),
    ("RC-FILTER-1KG", 20.0, 1.0),
    ("RC-DECAF-1KG", 3.0, 0.35),
)
DC_SIZE: Final[dict[str, float]] = {"DC-N": 1.2, "DC-W": 1.0, "DC-S": 0.9}

# from, to, mode, lead time mean and std (days), EUR per unit, capacity per day
LANES: Final[tuple[LaneSpec, ...]] = (
    ("VRD-SANTOS", "VRD-HAMBURG", TransportMode.SEA, 27.0, 4.0, 0.16, None),
    ("VRD-BUENAVENTURA", "VRD-HAMBURG", TransportMode.SEA, 31.0, 5.0, 0.19, None),
    ("VRD-HAMBURG", "ELB-HARBURG", TransportMode.FULL_TRUCKLOAD, 1.0, 0.3, 0.03, 24000.0),
    ("CPW-VENLO", "ELB-HARBURG", TransportMode.LESS_THAN_TRUCKLOAD, 2.0, 0.5, 0.01, None),
    ("CPW-VENLO", "HUB-KASSEL", TransportMode.FULL_TRUCKLOAD, 1.0, 0.2, 0.004, 200000.0),
    ("HUB-KASSEL", "DC-N", TransportMode.LESS_THAN_TRUCKLOAD, 1.0, 0.4, 0.006, None),
    ("HUB-KASSEL", "DC-W", TransportMode.LESS_THAN_TRUCKLOAD, 1.0, 0.3, 0.005, None),
    ("HUB-KASSEL", "DC-S", TransportMode.LESS_THAN_TRUCKLOAD, 1.0, 0.4, 0.006, None),
    ("ALP-KEMPTEN", "DC-S", TransportMode.FULL_TRUCKLOAD, 0.5, 0.1, 0.03, 8000.0),
    ("ALP-KEMPTEN", "DC-W", TransportMode.FULL_TRUCKLOAD, 1.0, 0.2, 0.05, 8000.0),
    ("ALP-KEMPTEN", "DC-N", TransportMode.FULL_TRUCKLOAD, 1.5, 0.3, 0.06, 8000.0),
    ("ELB-HARBURG", "DC-N", TransportMode.FULL_TRUCKLOAD, 0.5, 0.1, 0.08, 6000.0),
    ("ELB-HARBURG", "DC-W", TransportMode.FULL_TRUCKLOAD, 1.0, 0.2, 0.18, 6000.0),
    ("ELB-HARBURG", "DC-S", TransportMode.FULL_TRUCKLOAD, 1.5, 0.4, 0.25, 6000.0),
)

# Ordering unit by family at a store / upstream (DC, plant, supplier).
CASE: Final[dict[str, tuple[float, float]]] = {
    "roasted_coffee": (6.0, 60.0),
    "milk": (12.0, 600.0),
    "cups": (50.0, 1000.0),
    "syrup": (6.0, 60.0),
    "packaging": (500.0, 5000.0),
}
HOLDING_RATE: Final[dict[str, float]] = {
    "green_coffee": 0.12,
    "roasted_bulk": 0.25,
    "roasted_coffee": 0.25,
    "milk": 0.60,
    "cups": 0.20,
    "syrup": 0.20,
    "packaging": 0.20,
}
CONTAINER_KG: Final[float] = 19200.0  # one 20 ft container of green coffee

# Inputs of the coordinated inventory plan (docs/coordinated-inventory.md). Days a unit spends at
# a stocking point before it can ship: receiving, quality check and put-away, plus roasting and
# packing at the plant (at a machine the drink is made to order: no stock time).
PROCESSING_DAYS: Final[dict[SiteKind, float]] = {
    SiteKind.SUPPLIER_SITE: 2.0,  # origin mill: grading and bagging; dairy: bottling
    SiteKind.WAREHOUSE: 2.0,  # bonded port warehouse: customs clearance and sampling
    SiteKind.PLANT: 1.0,
    SiteKind.DISTRIBUTION_CENTRE: 1.0,
    SiteKind.STORE: 0.0,
    SiteKind.DEVICE: 0.0,
}
# Receiving, storage and picking per unit (EUR).
HANDLING_COST: Final[dict[SiteKind, float]] = {
    SiteKind.SUPPLIER_SITE: 0.02,
    SiteKind.WAREHOUSE: 0.04,
    SiteKind.PLANT: 0.03,
    SiteKind.DISTRIBUTION_CENTRE: 0.05,
    SiteKind.STORE: 0.02,
    SiteKind.DEVICE: 0.0,
}
# Conversion cost per unit where the item is made (EUR): roasting a kg of bulk (gas, labour,
# the roaster's depreciation), filling and sealing a bag, brewing a drink (energy, cleaning).
CONVERSION_COST: Final[dict[str, float]] = {
    "roasted_bulk": 1.10,
    "roasted_coffee": 0.35,
    "drink": 0.12,
}
# Lanes keep duty_rate 0: green coffee (HS 0901 11) enters the EU duty-free and every other
# lane of the demo stays inside the EU customs union.
