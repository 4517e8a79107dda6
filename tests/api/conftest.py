"""API test fixtures: an app on the shared (SQLite/PostgreSQL) settings and two organizations with users and data."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from xborder import catalog, identity, jobs
from xborder.db import transaction
from xborder.settings import SecuritySettings, Settings
from xborder.web.app import create_app

PASSWORD = "correct horse battery"
FAST_SECURITY = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192, login_max_failures=3,
                                 login_window_seconds=600)


@dataclass
class Tenant:
    """One organization with an owner, an operator and a viewer, their API tokens and a product with one SKU."""

    slug: str
    org_id: str = ""
    owner_email: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, str] = field(default_factory=dict)
    product_id: str = ""
    variant_id: str = ""
    sku: str = ""
    job_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # ids of objects seeded by tenancy_seeds/<domain>.py
    markers: list[str] = field(default_factory=list)  # texts of this tenant that must never show for another

    def auth(self, role: str = "owner") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"security": FAST_SECURITY})


@pytest.fixture
def app(api_settings: Settings) -> Iterator[FastAPI]:
    application = create_app(api_settings)
    yield application
    application.state.container.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """A client without lifespan (no job runner): tests that need jobs run them explicitly or use `live_client`."""
    return TestClient(app)


def tenancy_seed_modules() -> list[ModuleType]:
    """Every `tests/api/tenancy_seeds/<domain>.py` (see its README): PARAMS + seed(session, tenant, container)."""
    folder = Path(__file__).parent / "tenancy_seeds"
    modules = []
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        spec = importlib.util.spec_from_file_location(f"tenancy_seeds_{info.name}", folder / f"{info.name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def _seed_tenant(app: FastAPI, slug: str) -> Tenant:
    container = app.state.container
    tenant = Tenant(slug=slug)
    with transaction(container.session_factory) as s:
        org = identity.create_organization(s, name=f"Org {slug}", slug=slug)
        tenant.org_id = org.id
        for role in ("owner", "operator", "viewer"):
            email = f"{role}@{slug}.example.com"
            user = identity.create_user(s, email=email, password=PASSWORD, display_name=f"{role} {slug}",
                                        settings=FAST_SECURITY)
            identity.add_member(s, organization_id=org.id, user_id=user.id, role=role)  # type: ignore[arg-type]
            if role == "owner":
                tenant.owner_email = email
            principal = identity.sign_in(s, email=email, password=PASSWORD, ip=None, user_agent=None,
                                         settings=FAST_SECURITY, now=container.clock.now()).principal
            issued = identity.issue_api_token(s, principal=principal, name=f"{role} token", now=container.clock.now())
            tenant.tokens[role], tenant.token_ids[role] = issued.token, issued.token_id
        tenant.sku = f"{slug.upper()}-SECRET-SKU"
        product = catalog.create_product(s, organization_id=org.id, data=catalog.ProductIn(
            title=f"{slug} secret earbuds", brand=f"Brand{slug}",
            variants=[catalog.VariantIn(sku=tenant.sku, hs_code="851830", origin_country="CN")]))
        tenant.product_id, tenant.variant_id = product.id, product.variants[0].id
        tenant.job_id = jobs.enqueue(s, organization_id=org.id, user_id=None, kind="catalog.import",
                                     now=container.clock.now(), payload={"filename": "x.csv", "dry_run": True},
                                     input=b"sku\n", input_filename="x.csv").id
        for module in tenancy_seed_modules():
            module.seed(s, tenant, container)
    return tenant


@pytest.fixture
def extra_tenancy_params() -> dict[str, str]:
    """Path parameter -> Tenant.extra key, from every tenancy_seeds module."""
    return {param: key for module in tenancy_seed_modules() for param, key in module.PARAMS.items()}


@pytest.fixture
def org_a(app: FastAPI) -> Tenant:
    return _seed_tenant(app, "alpha")


@pytest.fixture
def org_b(app: FastAPI) -> Tenant:
    return _seed_tenant(app, "bravo")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def cookie_login():
    """sign_in(client, email) -> csrf token; the client keeps the session cookie."""

    def sign_in(client: TestClient, email: str) -> str:
        response = client.post("/api/v1/auth/session", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return str(response.json()["csrf_token"])

    return sign_in
