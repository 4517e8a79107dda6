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
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per SKU and market."),
) -> None:
    """Check every SKU of a catalog file against the rules of one or more markets."""
    when = _parse_date(on)
    try:
        facts = read_products_file(products.name, products.read_bytes())
        library = compliance.load_library()
        rules = library.rules_by_market([m.upper() for m in market])
        batch = compliance.evaluate_batch(facts, rules_by_market=rules, on=when, evidence=_read_evidence(evidence),
                                          channel=channel, transport_mode=mode)
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
