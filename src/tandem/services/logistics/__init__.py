"""Use cases of transport on the platform (see ``docs/logistics.md``).

* :mod:`.vehicles` — vehicle types, network-wide or a member's own;
* :mod:`.loads` — create, read, list and cancel loads (the shipper's consignments);
* :mod:`.tenders` — offer a load to a carrier member, accept, reject, expire, withdraw;
* :mod:`.tracking` — carriers' status events, the shipments made at pick-up, EPCIS events,
  re-estimated arrivals, the consignee's inbound view and late-risk alerts;
* :mod:`.performance` — carrier scorecards (tender acceptance, on-time pick-up and delivery).
"""
