"""`xborder markets`: list the markets xborder knows and show one market's facts in force on a date."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from xborder import markets
from xborder.kernel import DomainError, NotFound

__all__ = ["app"]

app = typer.Typer(help="Market profiles: currency, languages, VAT/GST, de minimis, sizes, marketplaces, calendar.",
                  no_args_is_help=True)


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form", param_hint="--date") from None


def _threshold(entry: dict[str, Any]) -> str:
    parts = [f"≤ {entry['amount']} {entry['currency']} ({entry['basis']})"]
    for field, label in (("channels", "channels"), ("origins", "from"), ("excluded_origins", "not from"),
                         ("requires", "requires")):
        if entry.get(field):
            parts.append(f"{label} {','.join(entry[field])}")
    if entry.get("collection") == "point_of_sale":
        parts.append("collected at point of sale")
    return "; ".join(parts)


def _render(unit: str, value: Any) -> str:
    if value is None:
        return "— (not in force)"
    if unit == "de_minimis":
        return "\n".join(_threshold(entry) for entry in value) if value else "none (all liable)"
    if isinstance(value, list):
        if not value:
            return "none"
        if all(isinstance(item, dict) for item in value):
            return "\n".join(_row(item) for item in value)
        return ", ".join(str(item) for item in value)
    if unit == "percent":
        return f"{value} %"
    return str(value)


def _row(item: dict[str, Any]) -> str:
    if "rule" in item:
        return f"{item['name']['en']} ({item['rule']})"
    if "rate" in item:
        return f"{item['rate']} %: {item['applies_to']}"
    if "url" in item:
        return f"{item['name']} {item['url']}"
    return ", ".join(f"{k}={v}" for k, v in item.items())


@app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List every market with its currency, marketplace languages and writing direction."""
    try:
        summaries = markets.list_markets()
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        typer.echo(json.dumps([{"code": s.code, "name": {"en": s.name_en, "zh": s.name_zh}, "currency": s.currency,
                                "languages": list(s.languages), "writing_direction": s.writing_direction}
                               for s in summaries], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(summaries)} markets")
    for column in ("code", "name", "名称", "currency", "languages", "direction"):
        table.add_column(column)
    for s in summaries:
        table.add_row(s.code, s.name_en, s.name_zh, s.currency, ", ".join(s.languages), s.writing_direction)
    Console().print(table)


@app.command("show")
def show_command(
    code: str = typer.Argument(..., help="ISO 3166-1 alpha-2 code, e.g. DE or us."),
    on: str | None = typer.Option(None, "--date", help="Show facts in force on this date (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show every fact of a market in force on a date, with its source and certainty."""
    day = _parse_date(on)
    try:
        market = markets.market(code)
        rows = []
        for key in market.fact_keys():
            history = market.fact(key)
            first = history.versions[0].valid_from
            version = history.on(day) if day >= first else None
            rows.append((history, version))
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        facts = [{
            "key": history.key, "unit": history.unit, "defined_in": history.defined_in,
            "value": version.value if version else None,
            "in_force": version is not None,
            "valid_from": version.valid_from.isoformat() if version else None,
            "valid_until": version.valid_until.isoformat() if version and version.valid_until else None,
            "certainty": version.certainty if version else None,
            "note": version.note if version else None,
            "reference": {"title": version.reference.title, "href": version.reference.href} if version else None,
            "checked_on": version.checked_on.isoformat() if version else None,
        } for history, version in rows]
        payload = {"code": market.code, "name": {"en": market.name.en, "zh": market.name.zh}, "on": day.isoformat(),
                   "facts": facts}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=f"{market.code} {market.name.en} / {market.name.zh} — facts in force on {day.isoformat()}",
                  show_lines=True)
    for column in ("fact", "value", "since", "certainty", "source"):
        table.add_column(column, overflow="fold")
    for history, version in rows:
        if version is None:
            table.add_row(history.key, "— (no data before this date)", "", "", "")
            continue
        certainty = version.certainty + (f"\n{version.note}" if version.certainty != "confirmed" else "")
        table.add_row(history.key, _render(history.unit, version.value), version.valid_from.isoformat(), certainty,
                      f"{version.reference.title}\n{version.reference.href}")
    Console().print(table)
