"""Outputs: the package turned into files and pages — exports (CSV, Parquet, Excel, SQLite…), the
codebook and generated loaders, charts, the documentation site and the Datasette explorer.
Imports core and findings.
"""
