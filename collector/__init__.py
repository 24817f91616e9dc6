"""Asynchronous multi-account AWS inventory collector."""

__version__ = "0.1.0"
