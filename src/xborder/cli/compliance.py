"""`xborder compliance check` (checklists from a catalog file) and `xborder rules validate|test|diff` (authoring).

Mounted by cli/main.py as `compliance_app` -> `xborder compliance` and `rules_app` -> `xborder rules`.
Exit codes: 0 ok, 1 not found, 2 invalid input or rejected pack, 3 rule cases failing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
import yaml
from rich.console import Console
from rich.table import Table

from xborder import compliance
from xborder.compliance.cases import evidence_from_mapping, read_cases, run_case
from xborder.compliance.diff import diff_libraries
from xborder.compliance.products import read_products_file
from xborder.compliance.validate import lint_library
from xborder.kernel import DomainError, ErrorDetail, NotFound

__all__ = ["compliance_app", "rules_app"]

compliance_app = typer.Typer(help="Per-market compliance checklists and readiness verdicts.", no_args_is_help=True)
rules_app = typer.Typer(help="Author and check compliance rule packs (jurisdictions/*/rules.yaml).",
                        no_args_is_help=True)


def _print_details(details: list[ErrorDetail]) -> None:
    for d in details:
        where = " ".join(p for p in (f"row {d.row}" if d.row else None, d.field) if p)
        typer.secho(f"  {where + ': ' if where else ''}{d.message}", err=True, fg=typer.colors.RED)


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    _print_details(error.details)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form", param_hint="--date") from None


def _read_evidence(path: Path | None) -> list[compliance.Evidence]:
    if path is None:
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise typer.BadParameter("the evidence file is a YAML/JSON list of {type, scheme, issued_on, ...}",
                                 param_hint="--evidence")
    return [evidence_from_mapping(item, index=i) for i, item in enumerate(data)]


def _requirement(item: compliance.RequirementResult) -> dict[str, Any]:
    return {
        "id": item.rule_id, "kind": item.kind.value, "status": item.status.value, "severity": item.severity.value,
        "title": item.title_en, "title_zh": item.title_zh,
        "source": {"title": item.source.title, "href": item.source.href},
        "triggered_by": list(item.triggered_by), "reason": item.reason,
        "missing_attributes": list(item.missing_attributes), "evidence_ids": list(item.evidence_ids),
        "expires_on": item.expires_on.isoformat() if item.expires_on else None,
        "certainty": item.certainty, "note": item.note,
    }


@compliance_app.command("check")
def check(
    products: Path = typer.Option(..., "--products", exists=True, dir_okay=False,
                                  help="CSV/XLSX in the catalog import format."),
    market: list[str] = typer.Option(..., "--market", help="Destination market (repeat for several)."),
    on: str | None = typer.Option(None, "--date", help="Evaluate as of this date (YYYY-MM-DD); default today."),
    evidence: Path | None = typer.Option(None, "--evidence", exists=True, dir_okay=False,
                                         help="YAML/JSON list of evidence documents."),
    channel: str | None = typer.Option(None, "--channel", help="marketplace | webshop | b2b | retail"),
    mode: str | None = typer.Option(None, "--mode", help="Transport mode: air | sea | road | rail | postal"),
    show_all: bool = typer.Option(False, "--all", help="Also list not-applicable requirements."),
    expiring_within: int = typer.Option(60, "--expiring-within", min=0,
                                        help="Days before expiry from which evidence counts as expiring."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per SKU and market."),
) -> None:
    """Check every SKU of a catalog file against the rules of one or more markets."""
    when = _parse_date(on)
    try:
        facts = read_products_file(products.name, products.read_bytes())
        library = compliance.load_library()
        rules = library.rules_by_market([m.upper() for m in market])
        batch = compliance.evaluate_batch(facts, rules_by_market=rules, on=when, evidence=_read_evidence(evidence),
                                          channel=channel, transport_mode=mode,
                                          expiring_within_days=expiring_within)
    except DomainError as error:
        raise _fail(error) from None
    checklists = [batch.checklist(p.sku, m) for p in facts for m in rules]
    if as_json:
        out = [{"sku": c.sku, "market": c.market, "on": c.on.isoformat(), "verdict": c.verdict.value,
                "rules_version": library.version,
                "requirements": [_requirement(i) for i in c.items
                                 if show_all or i.status is not compliance.Status.NOT_APPLICABLE]}
               for c in checklists]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console = Console()
    for c in checklists:
        colour = {"ready": "green", "action_needed": "yellow", "blocked": "red"}[c.verdict.value]
        console.print(f"[bold]{c.sku}[/bold] in {c.market} on {c.on}: [{colour}]{c.verdict.value}[/{colour}]")
        table = Table(show_header=True, header_style="bold")
        for column in ("status", "requirement", "severity", "why", "source"):
            table.add_column(column)
        for i in c.items:
            if i.status is compliance.Status.NOT_APPLICABLE and not show_all:
                continue
            why = ", ".join(i.missing_attributes) if i.missing_attributes else "; ".join(i.triggered_by)[:80]
            table.add_row(i.message if i.status is compliance.Status.UNKNOWN else i.status.value,
                          f"{i.rule_id}\n{i.title_en}", i.severity.value, why or (i.reason or ""), i.source.href)
        console.print(table)


@rules_app.command("validate")
def validate(path: Path = typer.Argument(..., exists=True,
                                         help="A rules.yaml, a pack folder, a jurisdictions tree or a bundle.")
             ) -> None:
    """Validate a pack: schema, attributes, sources and dates, unreachable or shadowed rules. Exit 2 on errors."""
    whole_tree = path.is_dir() and not (path / "rules.yaml").is_file()
    try:
        # a single pack is checked together with the shipped packs it extends
        base = None if whole_tree else compliance.load_library()
        library = compliance.load_library_from(path, base=base)
    except DomainError as error:
        raise _fail(error) from None
    problems = lint_library(library)
    if problems:
        typer.secho(f"error: {len(problems)} problem(s) in {path}", err=True, fg=typer.colors.RED)
        _print_details(problems)
        raise typer.Exit(code=2)
    count = sum(len(r) for r in library.rules.values())
    typer.echo(f"ok: {count} rules in {len(library.packs)} pack(s), version {library.version}")


@rules_app.command("test")
def test_cases(path: Path = typer.Argument(None, help="A cases.yaml; default: every shipped jurisdiction.")) -> None:
    """Run YAML rule cases (product in -> requirements out) against the shipped rules."""
    library = compliance.load_library()
    root = Path(str(compliance.packs_root()))
    files = [path] if path is not None else sorted(root.glob("*/cases.yaml"))
    failed = total = 0
    for file in files:
        for case in read_cases(file):
            total += 1
            problems = run_case(case, library)
            if problems:
                failed += 1
                typer.secho(f"FAIL {file.parent.name}: {case.name}", fg=typer.colors.RED)
                for problem in problems:
                    typer.echo(f"    {problem}")
    typer.echo(f"{total - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(code=3)


@rules_app.command("diff")
def diff(path: Path = typer.Argument(..., exists=True, help="New pack version (file, folder or bundle)."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Semantic diff between the shipped rules and a new version: rules added, changed, removed, dates moved."""
    try:
        current = compliance.load_library()
        new = compliance.load_library_from(path, base=current)
    except DomainError as error:
        raise _fail(error) from None
    changes = diff_libraries(current, new)
    if as_json:
        typer.echo(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2))
        return
    if not changes:
        typer.echo("no rule changes")
    for c in changes:
        typer.echo(f"{c.change:8} {c.market_scope:>4} {c.rule_id}: {c.summary}")


# ---- commands over the database (organization-scoped) -------------------------------------------------------

DEFAULT_ORG = "shengyue"  # the demo seller, as in `xborder import products`
_ORG = typer.Option(DEFAULT_ORG, "--org", envvar="XBORDER_ORG", help="Organization slug (or set XBORDER_ORG).")
evidence_app = typer.Typer(help="Evidence vault: certificates, test reports, registrations.", no_args_is_help=True)
alerts_app = typer.Typer(help="Compliance alert inbox and deliveries.", no_args_is_help=True)
compliance_app.add_typer(evidence_app, name="evidence")
compliance_app.add_typer(alerts_app, name="alerts")


def _run(org: str, action: Any) -> Any:
    """Open a transaction for the organization, run `action(session, org_id, container)`, map errors to exits."""
    from xborder import identity
    from xborder.cli.context import get_container
    from xborder.db import transaction

    container = get_container()
    try:
        with transaction(container.session_factory) as session:
            organization = identity.get_organization_by_slug(session, slug=org)
            return action(session, organization.id, container)
    except DomainError as error:
        raise _fail(error) from None


@compliance_app.command("evaluate")
def evaluate(org: str = _ORG, market: list[str] = typer.Option(None, "--market", help="Default: every market."),
             on: str | None = typer.Option(None, "--date")) -> None:
    """Evaluate the organization's catalog and store verdicts (history keeps every change)."""
    when = _parse_date(on)
    summary = _run(org, lambda s, oid, c: compliance.evaluate_catalog(
        s, organization_id=oid, on=when, clock=c.clock, markets=market or None, cause="cli evaluate"))
    typer.echo(f"{summary.evaluated} SKU(s) evaluated with rules {summary.rules_version}; "
               f"{len(summary.changed)} checklist(s) changed")


@compliance_app.command("matrix")
def matrix(org: str = _ORG, market: list[str] = typer.Option(None, "--market"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Readiness matrix (SKUs × markets) from the stored verdicts."""
    result = _run(org, lambda s, oid, c: compliance.readiness_matrix(s, organization_id=oid, markets=market or None))
    if as_json:
        typer.echo(json.dumps({"markets": list(result.markets), "counts": result.counts,
                               "cells": {sku: {m: {"verdict": cell.verdict, "open_items": cell.open_items}
                                               for m, cell in row.items()} for sku, row in result.cells.items()}},
                              ensure_ascii=False, indent=2))
        return
    table = Table("SKU", *result.markets)
    marks = {"ready": "[green]ready[/]", "action_needed": "[yellow]action[/]", "blocked": "[red]blocked[/]"}
    for sku in result.skus:
        row = result.cells[sku]
        table.add_row(sku, *(f"{marks[row[m].verdict]} {row[m].open_items}" if m in row else "—"
                             for m in result.markets))
    Console().print(table)


@compliance_app.command("history")
def history(sku: str, market: str = typer.Option(..., "--market"), on: str = typer.Option(..., "--date"),
            org: str = _ORG) -> None:
    """What the verdict of SKU in MARKET was on a past date."""
    when = _parse_date(on)
    record = _run(org, lambda s, oid, c: compliance.verdict_on(s, organization_id=oid, sku=sku, market=market,
                                                                 on=when))
    typer.echo(json.dumps({"sku": record.sku, "market": record.market, "verdict": record.verdict,
                           "rules_version": record.rules_version, "recorded_at": record.recorded_at.isoformat(),
                           "cause": record.cause, "requirements": record.items}, ensure_ascii=False, indent=2))


@evidence_app.command("upload")
def evidence_upload(
    file: Path = typer.Argument(..., exists=True, dir_okay=False),
    evidence_type: str = typer.Option(..., "--type", help="certificate, test_report, declaration_of_conformity..."),
    scheme: str = typer.Option(..., "--scheme", help="e.g. ce-red, giteki, weee-epr"),
    issuer: str = typer.Option(..., "--issuer"),
    issued_on: str = typer.Option(..., "--issued-on"),
    expires_on: str | None = typer.Option(None, "--expires-on"),
    sku: list[str] = typer.Option(None, "--sku", help="Covered SKU (repeat); none = organization-wide."),
    market: list[str] = typer.Option(None, "--market", help="Only valid in these markets (repeat)."),
    standard: str | None = typer.Option(None, "--standard"),
    reference: str | None = typer.Option(None, "--reference", help="Certificate or registration number."),
    org: str = _ORG,
) -> None:
    """Store a PDF or image as evidence (refused if not PDF/image, oversized or already expired)."""
    content = file.read_bytes()
    issued, expires = _parse_date(issued_on), _parse_date(expires_on) if expires_on else None
    def upload(session: Any, organization_id: str, container: Any) -> tuple[Any, Any]:
        out = compliance.upload_evidence(
            session, organization_id=organization_id, filename=file.name, content=content,
            evidence_type=evidence_type, scheme=scheme, issuer=issuer, issued_on=issued, expires_on=expires,
            today=container.clock.today(), skus=sku or None, markets=market or None, standard=standard,
            reference=reference)
        summary = compliance.reevaluate_after_evidence(session, organization_id=organization_id,
                                                       skus=out.skus, clock=container.clock)
        return out, summary

    out, summary = _run(org, upload)
    typer.echo(f"stored {out.id}: {out.evidence_type} {out.scheme} ({out.content_type}, {out.size_bytes:,} bytes); "
               f"{len(summary.changed)} checklist(s) updated")


@evidence_app.command("list")
def evidence_list(org: str = _ORG, as_json: bool = typer.Option(False, "--json")) -> None:
    docs = _run(org, lambda s, oid, c: compliance.list_evidence(s, organization_id=oid))
    rows = [{"id": d.id, "type": d.evidence_type, "scheme": d.scheme, "issuer": d.issuer,
             "expires_on": d.expires_on.isoformat() if d.expires_on else None,
             "skus": list(d.skus) if d.skus is not None else "all", "markets": list(d.markets or [])} for d in docs]
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else
               "\n".join(f"{r['id']} {r['type']} {r['scheme']} expires {r['expires_on']}" for r in rows))


@alerts_app.command("list")
def alerts_list(org: str = _ORG, unread: bool = typer.Option(False, "--unread")) -> None:
    alerts = _run(org, lambda s, oid, c: compliance.list_alerts(s, organization_id=oid, unread_only=unread))
    typer.echo(json.dumps([{"id": a.id, "kind": a.kind, "title": a.title, "created_at": a.created_at.isoformat(),
                            "body": a.body} for a in alerts], ensure_ascii=False, indent=2))


@alerts_app.command("subscribe")
def alerts_subscribe(channel: str = typer.Argument(..., help="webhook or email"), target: str = typer.Argument(...),
                     org: str = _ORG) -> None:
    """Add a webhook URL (public addresses only unless alerts.allow_private_webhooks) or an e-mail address."""
    sub_id, secret = _run(org, lambda s, oid, c: compliance.subscribe_alerts(
        s, organization_id=oid, channel=channel, target=target,
        allow_private_targets=c.settings.alerts.allow_private_webhooks))
    typer.echo(f"subscription {sub_id}" + (f"; signing secret (shown once): {secret}" if secret else ""))


@alerts_app.command("deliver")
def alerts_deliver() -> None:
    """Send due webhook/e-mail deliveries once (e-mail only when XBORDER_ALERTS__SMTP_HOST is set).

    Configured like the server, from the Settings section `alerts` (XBORDER_ALERTS__SMTP_HOST, __SMTP_PORT,
    __SMTP_FROM, __SMTP_USERNAME, __SMTP_PASSWORD, __SMTP_STARTTLS, __TIMEOUT_SECONDS, __ALLOW_PRIVATE_WEBHOOKS).
    """
    from xborder.cli.context import get_container, get_settings
    from xborder.db import transaction

    alerts = get_settings().alerts
    senders = compliance.alert_senders(alerts)
    container = get_container()
    with transaction(container.session_factory) as session:
        report = compliance.deliver_alerts(session, senders=senders, clock=container.clock)
    typer.echo(f"sent {report.sent}, retrying {report.retried}, failed {report.failed}"
               + ("" if alerts.smtp_host else
                  " (XBORDER_ALERTS__SMTP_HOST is not set: e-mail deliveries stay pending)"))


@alerts_app.command("scan-expiry")
def alerts_scan_expiry(within: int | None = typer.Option(
        None, "--within", min=0, help="Days ahead; default XBORDER_ALERTS__EXPIRY_WARNING_DAYS (60).")) -> None:
    """Raise inbox alerts for evidence expiring within the window."""
    from xborder.cli.context import get_container, get_settings
    from xborder.db import transaction

    days = get_settings().alerts.expiry_warning_days if within is None else within
    container = get_container()
    with transaction(container.session_factory) as session:
        created = compliance.scan_expiring_evidence(session, today=container.clock.today(), within_days=days)
    typer.echo(f"{len(created)} alert(s) raised")


@rules_app.command("load")
def rules_load(location: str = typer.Argument(..., help="rules.yaml, folder, bundle file or http(s) feed URL.")
               ) -> None:
    """Load a new rule-pack version: validate, diff, re-check affected SKUs, alert organizations. Exit 2 if rejected."""
    from xborder.cli.context import get_container
    from xborder.db import transaction

    container = get_container()
    try:
        with transaction(container.session_factory) as session:
            update = compliance.load_rule_pack(session, location=location, clock=container.clock)
    except DomainError as error:
        raise _fail(error) from None
    if not update.changes:
        typer.echo(f"no rule changes (in force: {update.previous_version})")
        return
    for c in update.changes:
        typer.echo(f"{c.change:8} {c.rule_id}: {c.summary}")
    typer.echo(f"version {update.previous_version} -> {update.version}; re-checked "
               f"{sum(update.reevaluated.values())} SKU(s) in {len(update.reevaluated)} organization(s); "
               f"{len(update.alerts)} alert(s)")
