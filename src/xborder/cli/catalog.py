"""`xborder import products FILE` and `xborder export products`: bulk catalog files from the command line.

Exit codes: 0 done, 1 organization not found, 2 the file was refused (every problem is printed; nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xborder import catalog, identity
from xborder.cli.context import get_container
from xborder.db import transaction
from xborder.kernel import DomainError, NotFound

__all__ = ["export_app", "import_app"]

import_app = typer.Typer(help="Bulk import (CSV or XLSX, English or Chinese headers).", no_args_is_help=True)
export_app = typer.Typer(help="Bulk export in the import template's layout.", no_args_is_help=True)

@import_app.callback()
def _import_group() -> None:
    """Bulk import (CSV or XLSX, English or Chinese headers)."""


@export_app.callback()
def _export_group() -> None:
    """Bulk export in the import template's layout."""


DEFAULT_ORG = "shengyue"  # the demo seller, so `xborder import products FILE` works right after `xborder demo`
_ORG_HELP = "Organization slug (or set XBORDER_ORG)."


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _issues_table(title: str, issues: list[catalog.ImportIssue]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("row", "column", "problem", "code"):
        table.add_column(column, overflow="fold")
    for issue in issues:
        table.add_row("" if issue.row is None else str(issue.row), issue.column or "", issue.message, issue.code)
    return table


def _summary(report: catalog.ImportReport) -> str:
    verb = "would create" if report.dry_run else "created"
    update = "would update" if report.dry_run else "updated"
    return (f"{report.rows} rows: {verb} {report.products_created} products and {report.variants_created} variants, "
            f"{update} {report.products_updated} products and {report.variants_updated} variants")


@import_app.command("products")
def import_products(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or XLSX file."),
    org: str = typer.Option(DEFAULT_ORG, "--org", envvar="XBORDER_ORG", help=_ORG_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and summarize; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import products and variants from FILE: all rows or none; existing SKUs are updated."""
    container = get_container()
    limits = container.settings.imports
    size = file.stat().st_size
    if size > limits.max_upload_bytes:  # refuse before reading a huge file into memory
        typer.secho(f"error: {file.name} is {size:,} bytes; the limit is {limits.max_upload_bytes:,} "
                    "(catalog.file_too_large)", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2)
    content = file.read_bytes()
    err = Console(stderr=True)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, disable=as_json or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("importing" if not dry_run else "validating", total=None)
        try:
            with transaction(container.session_factory) as session:
                organization = identity.get_organization_by_slug(session, slug=org)
                report = catalog.import_products(
                    session, organization_id=organization.id, filename=file.name, content=content,
                    dry_run=dry_run, limits=limits,
                    progress=lambda done, total: bar.update(task, completed=done, total=total))
        except DomainError as error:
            raise _fail(error) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        out = Console()
        if report.warnings:
            out.print(_issues_table("Warnings", report.warnings))
        if report.errors:
            out.print(_issues_table(f"{file.name}: {len(report.errors)} problems — nothing was imported",
                                    report.errors))
        else:
            out.print(("[bold]Dry run[/]: " if dry_run else "[green]Imported[/]: ") + _summary(report))
    if report.errors:
        raise typer.Exit(code=2)


@export_app.command("products")
def export_products(
    fmt: str = typer.Option("csv", "--format", help="csv (UTF-8 with BOM) or xlsx."),
    lang: str = typer.Option("en", "--lang", help="Header language: en or zh."),
    out: Path | None = typer.Option(None, "--out", help="Output file (default: standard output)."),
    org: str = typer.Option(DEFAULT_ORG, "--org", envvar="XBORDER_ORG", help=_ORG_HELP),
) -> None:
    """Export every variant with its product's fields; the file imports back unchanged."""
    if fmt not in ("csv", "xlsx"):
        raise typer.BadParameter("use csv or xlsx", param_hint="--format")
    if lang not in ("en", "zh"):
        raise typer.BadParameter("use en or zh", param_hint="--lang")
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise typer.BadParameter("an XLSX export needs --out FILE", param_hint="--out")
    container = get_container()
    try:
        with transaction(container.session_factory) as session:
            organization = identity.get_organization_by_slug(session, slug=org)
            data = catalog.export_products(session, organization_id=organization.id, fmt=fmt,  # type: ignore[arg-type]
                                           language=lang)  # type: ignore[arg-type]
    except DomainError as error:
        raise _fail(error) from None
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(data)
        typer.secho(f"wrote {len(data):,} bytes to {out}", err=True)
