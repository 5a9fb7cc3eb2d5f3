"""The one place the version is written: the Python package and the data package share it."""

__version__ = "0.3.0.dev0"
