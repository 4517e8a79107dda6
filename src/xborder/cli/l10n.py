"""`xborder l10n`: listing localization studio commands (QA of listing files against a market and channel)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from xborder import localization
from xborder.kernel import DomainError, NotFound

__all__ = ["app"]

app = typer.Typer(help="Listing localization: QA checks per market and marketplace, translation memory, glossary.",
                  no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Listing localization: QA checks per market and marketplace, translation memory, glossary."""


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    for detail in error.details[:50]:
        where = ", ".join(p for p in (f"row {detail.row}" if detail.row else "",
                                       f"column {detail.field}" if detail.field else "") if p)
        typer.secho(f"  {where}: {detail.message}" if where else f"  {detail.message}", err=True)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


@app.command("qa")
def qa_command(
    file: Path = typer.Option(..., "--file", "-f", exists=True, dir_okay=False, readable=True,
                              help="CSV with sku, language, title, description [, source_language, source_title, "
                                   "source_description, bullets, keywords]."),
    market: str = typer.Option(..., "--market", "-m", help="Target market, ISO code (JP, DE, SA...)."),
    channel: str | None = typer.Option(None, "--channel", "-c", help="Marketplace rules: amazon, etsy, shopee, "
                                                                      "mercadolibre."),
    on: str | None = typer.Option(None, "--date", help="Check as of this date (YYYY-MM-DD); default today."),
    locale: str = typer.Option("en", "--locale", help="Language of the explanations: en or zh."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per row."),
) -> None:
    """Check listings for one market: glossary, meaning drift, culture, units and sizes, channel rules, language."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise typer.BadParameter(f"{on!r} is not a date in YYYY-MM-DD form", param_hint="--date") from None
    try:
        results = localization.qa_listing_file(content=file.read_bytes(), market=market, channel=channel, on=day,
                                               locale=locale)
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        typer.echo(json.dumps([{
            "sku": r.sku, "language": r.language,
            "findings": [{"code": f.code, "severity": f.severity.value, "field": f.field, "message": f.message}
                         for f in r.findings],
        } for r in results], ensure_ascii=False, indent=2))
        return
    table = Table("sku", "language", "severity", "code", "field", "message", show_lines=False)
    for result in results:
        for f in result.findings:
            table.add_row(result.sku, result.language, f.severity.value, f.code, f.field or "", f.message)
    Console().print(table)
    total = sum(len(r.findings) for r in results)
    typer.echo(f"{len(results)} listing(s), {total} finding(s)")
