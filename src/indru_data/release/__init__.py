"""Build and release: derived files (Parquet, hashes, codebook, charts, findings pages), versioning
policy, release snapshots, each row's history and diffs between versions. Imports the layers
below (core, validation, findings, outputs).
"""
