"""Reports for people: PNG charts (matplotlib, Agg) and spreadsheets (openpyxl, CSV) from the domain's figures."""
