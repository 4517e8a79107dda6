"""Composition root: builds engine, sessions, clock, job runner and event handlers from Settings.

Only `web/` and `cli/` import this module; domains receive what they need as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xborder import catalog, compliance, inventory, localization, pricing
from xborder.db import make_engine, make_session_factory, transaction
from xborder.jobs import ClaimedJob, HandlerRegistry, JobResult, ProgressReporter
from xborder.kernel import Clock, ErrorDetail, Event, SystemClock, ValidationFailed
from xborder.settings import Settings

__all__ = ["Container", "bootstrap"]

EventHandler = Callable[[Event], None]


@dataclass
class Container:
    """Everything a delivery layer needs to serve a request or run a command."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    handlers: dict[type[Event], list[EventHandler]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    job_handlers: HandlerRegistry = field(default_factory=HandlerRegistry)
    mt_provider: localization.MtProvider | None = None  # built once from settings.mt; None = no MT configured
    _pricing: pricing.PricingDataSource | None = field(default=None, repr=False)
    _loop_factory: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def loop_session_factory(self) -> sessionmaker[Session]:
        """Sessions for work done on the web server's event loop (ADR 0008), from an engine of ONE connection of
        its own: the loop runs such work one at a time, and a checkout from the shared pool could wait for
        connections that only the loop itself would release (threadpool requests return theirs at teardown)."""
        if self._loop_factory is None:
            url = self.engine.url.render_as_string(hide_password=False)
            memory = url.startswith("sqlite") and (url.endswith(":memory:") or url.rstrip("/") == "sqlite:")
            self._loop_factory = self.session_factory if memory else make_session_factory(
                make_engine(url, echo=self.settings.sql_echo, pool_size=1, max_overflow=0))
        return self._loop_factory

    def dispose(self) -> None:
        """Close the pooled connections of both engines."""
        self.engine.dispose()
        if self._loop_factory is not None and self._loop_factory is not self.session_factory:
            bind = self._loop_factory.kw.get("bind")
            if isinstance(bind, Engine):
                bind.dispose()

    @property
    def pricing_data(self) -> pricing.PricingData:
        """Pricing reference data (schedules, market facts, FX), loaded on first use and rebuilt after
        `xborder fx update` / `xborder tariffs import` change the workspace's files (checked at most every
        `settings.pricing_refresh_seconds`)."""
        if self._pricing is None:
            self._pricing = pricing.PricingDataSource(self.settings.data_dir,
                                                      check_every_seconds=self.settings.pricing_refresh_seconds)
        return self._pricing.current()

    def publish(self, events: list[Event]) -> None:
        for event in events:
            for handler in self.handlers.get(type(event), []):
                handler(event)


def bootstrap(settings: Settings, *, clock: Clock | None = None) -> Container:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), echo=settings.sql_echo)
    container = Container(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock or SystemClock(),
        # a misconfigured provider fails here, named
        mt_provider=localization.load_provider(settings.mt, models_dir=settings.data_dir / "mt-models"),
    )
    _register_job_handlers(container)
    return container


def _register_job_handlers(container: Container) -> None:
    limits = container.settings.imports

    def import_catalog(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        # All-or-nothing in one transaction, so a job re-run after a crash starts from a clean catalog.
        with transaction(factory) as session:
            report = catalog.import_products(
                session, organization_id=job.organization_id, filename=str(job.payload.get("filename", "upload")),
                content=job.input or b"", dry_run=bool(job.payload.get("dry_run")), limits=limits,
                progress=lambda done, total: progress(done, total, None))
        if report.errors:  # the console shows job.error.details as the error report
            raise ValidationFailed(
                f"{len(report.errors)} problem(s) in {report.filename}; nothing was imported",
                code="catalog.import_rejected",
                details=[ErrorDetail(i.message, field=i.column, row=i.row, code=i.code) for i in report.errors])
        return report.model_dump(mode="json")

    container.job_handlers.register("catalog.import", import_catalog)

    def quote_batch(factory: sessionmaker[Session], job: ClaimedJob,
                    progress: ProgressReporter) -> dict[str, Any] | JobResult:
        return pricing.batch_job_handler(data=container.pricing_data)(factory, job, progress)

    container.job_handlers.register(pricing.BATCH_JOB_KIND, quote_batch)
    container.job_handlers.register("localization.bulk_translate", lambda f, j, p: _bulk_localization(
        container, f, j, p, action="translate"))
    container.job_handlers.register("localization.bulk_approve", lambda f, j, p: _bulk_localization(
        container, f, j, p, action="approve"))
    senders, alerts = compliance.alert_senders(container.settings.alerts), container.settings.alerts
    container.job_handlers.register(compliance.EVALUATE_JOB_KIND,
                                    compliance.evaluation_job_handler(clock=container.clock))
    container.job_handlers.register(compliance.RULE_PACK_JOB_KIND,
                                    compliance.rule_pack_job_handler(clock=container.clock, senders=senders))
    container.job_handlers.register(compliance.DELIVER_JOB_KIND, compliance.delivery_job_handler(
        clock=container.clock, senders=senders, expiry_warning_days=alerts.expiry_warning_days))
    for recurring in compliance.recurring_jobs(alerts):  # delivery retries, daily expiry scan
        container.job_handlers.add_schedule(recurring)
    container.job_handlers.register(inventory.InventoryJobKind.IMPORT_SALES, inventory.sales_import_job_handler())
    container.job_handlers.register(inventory.InventoryJobKind.FORECAST, inventory.forecast_job_handler())
    container.job_handlers.register(inventory.InventoryJobKind.PLAN, inventory.plan_job_handler(
        clock=container.clock, fx_lookup=lambda cur, plan_cur, on: _fx_rate(container, cur, plan_cur, on)))


def _fx_rate(container: Container, currency: str, plan_currency: str, on: date) -> tuple[Decimal, date, str]:
    """Plan FX from the pricing reference rates (the latest rate where `on` is beyond the data; its date is kept)."""
    quote = container.pricing_data.fx.quote(currency, plan_currency, on, allow_latest=True)
    return quote.rate, quote.rate_date, quote.source


def _bulk_localization(container: Container, factory: sessionmaker[Session], job: ClaimedJob,
                       progress: ProgressReporter, *, action: str, batch: int = 25) -> dict[str, Any]:
    """Bulk translate/approve in batches of `batch` items, each committed on its own: an MT call never holds
    the write lock for the whole job, and a re-run after a crash redoes only what is left (both are idempotent)."""
    payload, org = job.payload, job.organization_id
    with transaction(factory) as session:
        ids = localization.bulk_targets(session, organization_id=org, action=action, market=payload.get("market"),
                                        ids=payload.get("ids"), status=payload.get("status"))
    on = date.fromisoformat(payload["on"]) if payload.get("on") else container.clock.today()
    result, total = localization.BulkResult(), len(ids)
    progress(0, total, None)
    for start in range(0, total, batch):
        chunk = ids[start:start + batch]

        def step(done: int, offset: int = start) -> None:
            progress(offset + done, total, None)

        with transaction(factory) as session:
            if action == "translate":
                part = localization.translate_products(
                    session, organization_id=org, product_ids=chunk, market=str(payload.get("market") or ""),
                    language=str(payload.get("language") or ""), provider=container.mt_provider,
                    user_id=job.user_id, progress=step)
            else:
                part = localization.approve_listings(session, organization_id=org, listing_ids=chunk, on=on,
                                                     user_id=job.user_id, progress=step)
        result = result.merge(part)
    report = asdict(result)
    report["listing_ids"], report["failures"] = report["listing_ids"][:1000], report["failures"][:1000]
    return report
