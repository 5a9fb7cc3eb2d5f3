"""Findings: questions answered from the data — the official trade series, the context tables,
summary figures and the 2025 report's claims checked chapter by chapter. Imports core only.
"""
