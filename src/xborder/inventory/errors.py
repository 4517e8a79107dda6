"""Inventory errors with stable codes (mapped to HTTP status and CLI exit codes by the delivery layers)."""

from __future__ import annotations

from xborder.kernel import Conflict, NotFound, ValidationFailed

__all__ = ["InsufficientStock", "TransferNotFound", "UnknownSku", "WarehouseNotFound"]


class InsufficientStock(Conflict):
    """The ledger entry would make on-hand, reserved, available or in-transit stock negative; nothing was written."""

    code = "inventory.insufficient_stock"


class WarehouseNotFound(NotFound):
    code = "inventory.warehouse_not_found"


class TransferNotFound(NotFound):
    code = "inventory.transfer_not_found"


class UnknownSku(ValidationFailed):
    code = "inventory.unknown_sku"
