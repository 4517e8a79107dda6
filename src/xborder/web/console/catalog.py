"""Catalog pages: variant list with search (keyset pages), product detail, product and variant edit forms."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from xborder import catalog
from xborder.kernel import DomainError
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 50
_LIST_FIELDS = frozenset({"wireless_bands", "image_urls"})
_LIST_SPLIT = re.compile(r"[;\n；]+")
PRODUCT_FIELDS = ("product_ref", "title", "brand", "category", "source_language", "description")
VARIANT_FIELDS = ("sku", "variant_name", "hs_code", "origin_country", "cost_price", "cost_currency",
                  "net_weight_kg", "gross_weight_kg", "length_cm", "width_cm", "height_cm", "materials",
                  "battery_chemistry", "battery_wh", "battery_packing", "voltage_min_v", "voltage_max_v", "power_w",
                  "plug_type", "wireless_bands", "age_group", "intended_use", "energy_class", "image_urls")


def _form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Form strings → patch values: an empty input clears the field (unknown), list inputs split on ; or lines."""
    values: dict[str, Any] = {}
    for name in names:
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        if name in _LIST_FIELDS:
            values[name] = [item.strip() for item in _LIST_SPLIT.split(text) if item.strip()] or None
        else:
            values[name] = text or None
    return values


def _field_errors(exc: ValidationError | DomainError) -> dict[str, str]:
    """Errors keyed by form field, for inline display; errors without a field go under "_form"."""
    errors: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "_form"
            errors.setdefault(name, err["msg"])
    else:
        for detail in exc.details:
            errors.setdefault((detail.field or "_form").split(".")[0], detail.message)
        if not exc.details:
            errors["_form"] = exc.message
    return errors


def _parse(model: type[BaseModel], values: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    try:
        return model.model_validate(values), {}
    except ValidationError as exc:
        return None, _field_errors(exc)


@router.get("/catalog")
def catalog_list(ui: SignedInUi, session: DbSession, q: str = "", cursor: str | None = None) -> Response:
    assert ui.principal is not None
    page = catalog.list_variants(session, organization_id=ui.principal.organization_id, query=q.strip() or None,
                                 cursor=cursor or None, limit=PAGE_SIZE)
    return ui.render("catalog/list.html", fragment="catalog/_list_fragment.html", nav="catalog",
                     title=ui._("Catalog"), q=q.strip(), page=page, first_page=cursor is None)


@router.get("/catalog/products/{product_id}")
def product_detail(ui: SignedInUi, session: DbSession, product_id: str, saved: bool = False) -> Response:
    assert ui.principal is not None
    product = catalog.get_product(session, organization_id=ui.principal.organization_id, product_id=product_id)
    return ui.render("catalog/detail.html", fragment="catalog/_detail_fragment.html", nav="catalog",
                     title=product.title, product=product, saved=saved)


def _product_form(ui: Ui, product: Any, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
                  ) -> Response:
    return ui.render("catalog/product_edit.html", fragment="catalog/_product_form_fragment.html", nav="catalog",
                     title=ui._("Edit product"), product=product, values=values, errors=errors,
                     status_code=status_code)


@router.get("/catalog/products/{product_id}/edit")
def product_edit(ui: SignedInUi, session: DbSession, product_id: str) -> Response:
    assert ui.principal is not None
    require_writer(ui.principal)
    product = catalog.get_product(session, organization_id=ui.principal.organization_id, product_id=product_id)
    return _product_form(ui, product, product.model_dump(), {})


@router.post("/catalog/products/{product_id}/edit")
def product_save(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
                 session: DbSession, product_id: str) -> Response:
    require_writer(principal)
    values = _form_values(form, PRODUCT_FIELDS)
    patch, errors = _parse(catalog.ProductPatch, values)
    if patch is not None:
        try:
            catalog.update_product(session, organization_id=principal.organization_id, product_id=product_id,
                                   patch=patch)
            commit_in_route(session)
            return ui.redirect(f"/catalog/products/{product_id}?saved=1")
        except DomainError as exc:
            if exc.status_hint == 404:
                raise
            errors = _field_errors(exc)
            session.rollback()
    product = catalog.get_product(session, organization_id=principal.organization_id, product_id=product_id)
    return _product_form(ui, product, values, errors, status_code=422)


def _variant_form(ui: Ui, variant: Any, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
                  ) -> Response:
    return ui.render("catalog/variant_edit.html", fragment="catalog/_variant_form_fragment.html", nav="catalog",
                     title=ui._("Edit variant"), variant=variant, values=values, errors=errors,
                     status_code=status_code)


@router.get("/catalog/variants/{variant_id}/edit")
def variant_edit(ui: SignedInUi, session: DbSession, variant_id: str) -> Response:
    assert ui.principal is not None
    require_writer(ui.principal)
    variant = catalog.get_variant(session, organization_id=ui.principal.organization_id, variant_id=variant_id)
    return _variant_form(ui, variant, variant.model_dump(), {})


@router.post("/catalog/variants/{variant_id}/edit")
def variant_save(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
                 session: DbSession, variant_id: str) -> Response:
    require_writer(principal)
    values = _form_values(form, VARIANT_FIELDS)
    patch, errors = _parse(catalog.VariantPatch, values)
    if patch is not None:
        try:
            saved = catalog.update_variant(session, organization_id=principal.organization_id,
                                           variant_id=variant_id, patch=patch)
            commit_in_route(session)
            return ui.redirect(f"/catalog/products/{saved.product_id}?saved=1#v-{saved.id}")
        except DomainError as exc:
            if exc.status_hint == 404:
                raise
            errors = _field_errors(exc)
            session.rollback()
    variant = catalog.get_variant(session, organization_id=principal.organization_id, variant_id=variant_id)
    return _variant_form(ui, variant, values, errors, status_code=422)
