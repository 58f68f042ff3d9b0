"""Fees and parts: the catalog, labour rates, who pays, itemized bills, the ledger and parts stock."""
