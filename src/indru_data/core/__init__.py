"""The core: finding the data package, reading its descriptor, schemas and tables, and loading them
as typed DataFrames (also of released versions). Imports no other layer.
"""
