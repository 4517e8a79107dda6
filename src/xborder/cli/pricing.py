"""`xborder quote`, `xborder fx`, `xborder tariffs`: landed-cost quotes (single or CSV batch), FX rates, schedules."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

from xborder.cli.context import get_settings
from xborder.kernel import DomainError, Money, NotFound, parse_decimal
from xborder.pricing import (
    BATCH_COLUMNS,
    FredMonthlyRates,
    FxProvider,
    PricingData,
    QuoteRequest,
    fx_files,
    import_schedule_version,
    landed_cost_to_dict,
    list_schedule_versions,
    parse_quote_row,
    quote_batch,
    quote_landed_cost,
    record_fx_rate,
    tariff_coverage,
    update_ecb_rates,
    workspace_fx,
    workspace_schedules,
)

__all__ = ["fx_app", "quote", "tariffs_app"]

fx_app = typer.Typer(help="FX reference rates: show a rate with its date and source, update from the ECB, record a "
                          "central bank's rate for a currency the ECB does not publish.",
                     no_args_is_help=True)
tariffs_app = typer.Typer(help="Duty schedules: list versions, import an official tariff file as a new version.",
                          no_args_is_help=True)

FRED_DEFAULT = Path("/work/shared/data/exchange-rates-fred/monthly.csv")


def _paths() -> tuple[Path, Path]:
    """The workspace's imported schedules and ECB-updates file (where the import and update commands write)."""
    data_dir = get_settings().data_dir
    return workspace_schedules(data_dir), fx_files(data_dir)[0]


def _provider(source: str, fred_csv: Path | None) -> FxProvider:
    if source == "ecb":
        return workspace_fx(get_settings().data_dir)
    if source == "fred":
        path = fred_csv or FRED_DEFAULT
        if not path.exists():
            raise typer.BadParameter(f"FRED monthly.csv not found at {path}; pass --fred-csv", param_hint="--fred-csv")
        return FredMonthlyRates(path)
    raise typer.BadParameter(f"unknown FX source {source!r} (ecb or fred)", param_hint="--fx-source")


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error [{error.code}]: {error.message}", err=True, fg=typer.colors.RED)
    for detail in error.details[1:6]:
        typer.secho(f"  - {detail.message}", err=True)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _date(text: str, hint: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form", param_hint=hint) from None


def _render_text(result: dict[str, Any]) -> None:
    cur = result["currency"]
    typer.echo(f"customs value {result['customs_value']} {cur} ({result['valuation_basis']})")
    for line in result["lines"]:
        typer.echo(f"  {line['name']}: {line['rate']} on {line['base']} = {line['amount']} {cur} "
                   f"[{line['certainty']}, payer {line['payer']}, {line['collected_at']}] {line['source']}")
    for decision in result["de_minimis"]:
        typer.echo(f"  de minimis ({decision['kind']}): {'applies' if decision['applies'] else 'no'} - "
                   f"{decision['reason']}")
    for gap in result["gaps"]:
        typer.secho(f"  GAP {gap['rule']}: {gap['message']}", fg=typer.colors.YELLOW)
    for warning in result["warnings"]:
        typer.secho(f"  warning: {warning}", fg=typer.colors.YELLOW)
    typer.echo(f"duty {result['duty']}  {result['import_tax_name']} {result['import_vat']}  other "
               f"{result['other_taxes_and_fees']}  total {result['total_taxes_and_duties']}  landed cost "
               f"{result['landed_cost']} {cur}")


def _batch(data: PricingData, source: Path, out: Path | None) -> None:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = set(reader.fieldnames or []) - set(BATCH_COLUMNS)
        if unknown:
            raise typer.BadParameter(f"unknown columns {sorted(unknown)}; expected {list(BATCH_COLUMNS)}",
                                     param_hint="--file")
        rows = list(reader)

    def requests() -> Any:
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            try:
                yield parse_quote_row(row, row_number=number)
            except DomainError as exc:
                yield exc

    columns = [*BATCH_COLUMNS, "result_currency", "customs_value", "duty", "import_vat", "other_taxes_and_fees",
               "total_taxes_and_duties", "landed_cost", "de_minimis_applied", "complete", "error_code", "error"]
    handle_out = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    failures = 0
    try:
        writer = csv.DictWriter(handle_out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row, item in zip(rows, quote_batch(data, requests()), strict=True):
            record: dict[str, Any] = {k: row.get(k, "") for k in BATCH_COLUMNS}
            if item.result is not None:
                res = landed_cost_to_dict(item.result)
                record.update(result_currency=res["currency"], **{k: res[k] for k in (
                    "customs_value", "duty", "import_vat", "other_taxes_and_fees", "total_taxes_and_duties",
                    "landed_cost", "de_minimis_applied", "complete")})
            else:
                failures += 1
                assert item.error is not None
                record.update(error_code=item.error.code, error=item.error.message)
            writer.writerow(record)
    finally:
        if out:
            handle_out.close()
    typer.secho(f"{len(rows)} rows quoted, {failures} with errors", err=True)


def quote(
    origin: str = typer.Option(None, help="ISO country the goods ship from, e.g. CN"),
    dest: str = typer.Option(None, help="destination market, e.g. DE"),
    hs: str = typer.Option(None, help="HS / national tariff code (6-10 digits)"),
    value: str = typer.Option(None, help="goods value (decimal)"),
    currency: str = typer.Option(None, help="currency of value, shipping and insurance (ISO 4217)"),
    shipping: str = typer.Option("0", help="shipping cost to the destination"),
    insurance: str = typer.Option("0", help="insurance cost"),
    quantity: int = typer.Option(1, help="number of items"),
    weight_kg: str = typer.Option(None, "--weight-kg", help="net weight in kg (specific duties per kg)"),
    on: str = typer.Option(None, "--date", help="date of import YYYY-MM-DD (default today)"),
    incoterm: str = typer.Option("DAP", help="DAP (buyer pays import charges) or DDP (seller pays)"),
    channel: str = typer.Option("courier", help="postal, courier or freight"),
    buyer: str = typer.Option("B2C", help="B2C or B2B"),
    ioss: bool = typer.Option(False, "--ioss", help="seller is registered for EU IOSS"),
    registration: list[str] = typer.Option([], "--registration", help="other schemes, e.g. uk_vat, au_gst, "
                                           "remessa_conforme, us_postal_specific"),
    seller_currency: str = typer.Option(None, help="also give the landed cost in this currency"),
    subdivision: str = typer.Option(None, help="destination state where the tax depends on it (Brazil: SP, BA...)"),
    qty: list[str] = typer.Option([], "--qty", help="extra quantity for specific duties, e.g. liter=2"),
    fx_source: str = typer.Option("ecb", help="ecb (offline ECB history + updates) or fred (monthly averages)"),
    fred_csv: Path = typer.Option(None, help="path of the FRED monthly.csv for --fx-source fred"),
    fx_latest: bool = typer.Option(False, "--fx-latest", help="beyond the FX data, use the latest rate (dated)"),
    strict: bool = typer.Option(False, help="exit 3 when the quote has gaps (unknown measures)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    file: Path = typer.Option(None, "--file", help="batch: CSV with columns " + ",".join(BATCH_COLUMNS)),
    out: Path = typer.Option(None, "--out", help="batch: output CSV (default stdout)"),
) -> None:
    """Landed cost of one product line (or a CSV batch): duties by measure, import VAT/GST, fees, de minimis."""
    overlay, _ = _paths()
    data = PricingData(fx=_provider(fx_source, fred_csv), overlay_dir=overlay, allow_latest_fx=fx_latest)
    if file is not None:
        _batch(data, file, out)
        return
    missing = [name for name, given in (("--origin", origin), ("--dest", dest), ("--hs", hs), ("--value", value),
                                        ("--currency", currency)) if not given]
    if missing:
        raise typer.BadParameter(f"missing {', '.join(missing)} (or use --file for a batch)")
    try:
        cur = currency.upper()
        extra = []
        for item in qty:
            unit, _, amount = item.partition("=")
            extra.append((unit.strip(), parse_decimal(amount, field=f"--qty {unit}")))
        request = QuoteRequest(
            origin=origin, destination=dest, hs_code=hs, goods_value=Money.of(value, cur),
            shipping=Money.of(shipping, cur), insurance=Money.of(insurance, cur), quantity=quantity,
            weight_kg=parse_decimal(weight_kg, field="--weight-kg") if weight_kg else None,
            on=_date(on, "--date") if on else date.today(), incoterm=incoterm.upper(),
            channel=channel.lower(), buyer=buyer.upper(),
            registrations=frozenset({*registration, *(["ioss"] if ioss else [])}),
            seller_currency=seller_currency.upper() if seller_currency else None, extra_quantities=tuple(extra),
            subdivision=subdivision)
        result = landed_cost_to_dict(quote_landed_cost(data, request=request))
    except DomainError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _render_text(result)
    if strict and result["gaps"]:
        raise typer.Exit(code=3)


@fx_app.command("rate")
def fx_rate(base: str = typer.Argument(..., help="e.g. USD"), quote_currency: str = typer.Argument(..., help="EUR"),
            on: str = typer.Option(None, "--date"), source: str = typer.Option("ecb", "--source"),
            latest: bool = typer.Option(False, "--latest", help="beyond the data, use the latest rate (dated)"),
            fred_csv: Path = typer.Option(None)) -> None:
    """Show the reference rate 1 BASE = x QUOTE with its rate date and source."""
    try:
        fx = _provider(source, fred_csv).quote(base.upper(), quote_currency.upper(),
                                               _date(on, "--date") if on else date.today(), allow_latest=latest)
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(json.dumps({"base": fx.base, "quote": fx.quote, "rate": format(fx.rate, "f"),
                           "rate_date": fx.rate_date.isoformat(), "source": fx.source}))


@fx_app.command("update")
def fx_update() -> None:
    """Fetch the ECB reference rates (last 90 days) and store new days beside the shipped history."""
    try:
        result = update_ecb_rates(_paths()[1])
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(f"{result.days_added} new day(s) from {result.url}; latest {result.latest}; stored in {result.file}")


@fx_app.command("set")
def fx_set(
    currency: str = typer.Argument(..., help="a currency the ECB does not publish, e.g. KES, NGN, VND"),
    per_usd: str = typer.Argument(..., help="units of CURRENCY per 1 USD, as the central bank published it"),
    on: str = typer.Option(..., "--date", help="the day the rate was published for (YYYY-MM-DD)"),
    source: str = typer.Option(..., "--source", help="https URL of the publication (central bank page)"),
) -> None:
    """Record a central bank's published rate; quotes cross it through the ECB's USD rate and cite it."""
    try:
        rate = record_fx_rate(get_settings().data_dir, currency=currency, per_usd=per_usd, on=on, source=source)
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(f"{rate.currency}: {rate.per_usd} per USD on {rate.day} ({rate.source})")


@tariffs_app.command("coverage")
def tariffs_coverage(on: str = typer.Option(None, "--date", help="YYYY-MM-DD (default today)"),
                     as_json: bool = typer.Option(False, "--json")) -> None:
    """How much of the consumer-goods chapters each market's schedule covers on a date, and how sure it is."""
    report = tariff_coverage(_date(on, "--date") if on else date.today(), overlay_dir=_paths()[0])
    if as_json:
        typer.echo(json.dumps([{
            "market": m.market, "schedule": m.schedule, "version": m.version, "problem": m.problem,
            "headings": m.headings, "covered": m.covered, "regimes": list(m.regimes),
            "chapters": [{"chapter": c.chapter, "headings": c.headings, "covered": c.covered, "partial": c.partial,
                          "lines_by_certainty": c.certainty} for c in m.chapters]} for m in report],
            ensure_ascii=False, indent=2))
        return
    typer.echo("market  version                       headings covered  partly   lines: confirmed/uncertain/disputed")
    for m in report:
        if m.version is None:
            typer.echo(f"{m.market:<7} {'-':<29} {'none':>16}           {m.problem}")
            continue
        partial = sum(c.partial for c in m.chapters)
        counts = [sum(c.certainty.get(k, 0) for c in m.chapters) for k in ("confirmed", "uncertain", "disputed")]
        regimes = f"  + {'; '.join(m.regimes)}" if m.regimes else ""
        typer.echo(f"{m.market:<7} {m.version:<29} {m.covered:>7}/{m.headings:<8} {partial:>6}   "
                   f"{'/'.join(str(n) for n in counts)}{regimes}")


@tariffs_app.command("versions")
def tariffs_versions(market: str = typer.Option(..., "--market", help="US, GB, EU or a member state")) -> None:
    """List the versions of a market's schedule (shipped and imported)."""
    try:
        for version in list_schedule_versions(market.upper(), overlay_dir=_paths()[0]):
            typer.echo(f"{version.valid_from}  {version.id}  (data as of {version.data_as_of})  {version.file}")
    except DomainError as exc:
        raise _fail(exc) from None


@tariffs_app.command("import")
def tariffs_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="official tariff file"),
    market: str = typer.Option(..., "--market", help="US (HTS CSV/JSON), GB (UK tariff CSV), EU (CET/TARIC CSV); any "
                                                      "other market: a code,rate[,text] CSV"),
    valid_from: str = typer.Option(..., "--valid-from", help="first day the file's rates apply"),
    source_url: str = typer.Option(..., "--source-url", help="https URL the file was downloaded from"),
    column: str = typer.Option(None, help="rate column name when the file has several (UK/EU CSV)"),
) -> None:
    """Import a complete official tariff file as a NEW schedule version (earlier versions are kept)."""
    try:
        version = import_schedule_version(market.upper(), file, valid_from=_date(valid_from, "--valid-from"),
                                          source_url=source_url, overlay_dir=_paths()[0], column=column)
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(f"imported {version.id} from {file.name}, valid from {version.valid_from}: {version.file}")
