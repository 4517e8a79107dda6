"""xborder: open cross-border commerce operations (compliance, landed cost, localization, replenishment)."""

__version__ = "0.1.0"
