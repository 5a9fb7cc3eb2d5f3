"""Validation of a data package, in one pass of stages (pipeline.py states their order).

This subpackage imports pandera and frictionless; nothing outside it does, so `import indru_data`
and `load()` stay cheap.
"""

from __future__ import annotations

from indru_data.validation.pipeline import validate, validate_frame
from indru_data.validation.report import Failure, Report, ValidationError

__all__ = ["Failure", "Report", "ValidationError", "validate", "validate_frame"]
