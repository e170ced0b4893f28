"""The corpus: a store of many reviewed reports, search over it, copy detection, follow-up
across years, statistics and export. Everything here reads what the per-report pipeline
produced; nothing in ingest/parse/extract/rules imports from here."""
