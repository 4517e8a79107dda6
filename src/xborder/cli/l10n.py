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

__all__ = ["app", "mt_app"]

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
                                   "source_description, bullets, keywords, brand, model]."),
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


def _org_id(session: object, slug: str) -> str:
    from xborder import identity

    return identity.get_organization_by_slug(session, slug=slug).id  # type: ignore[arg-type]


@app.command("tm-import")
def tm_import_command(
    file: Path = typer.Option(..., "--file", "-f", exists=True, dir_okay=False, help="TMX 1.4b file."),
    org: str = typer.Option(..., "--org", help="Organization slug."),
) -> None:
    """Import a TMX 1.4b file into the organization's translation memory (whole file or nothing)."""
    from xborder.cli.context import get_container
    from xborder.db import transaction

    try:
        with transaction(get_container().session_factory) as session:
            summary = localization.import_tmx(session, organization_id=_org_id(session, org),
                                              content=file.read_bytes())
    except DomainError as error:
        raise _fail(error) from None
    typer.echo(f"{summary.units} unit(s): {summary.created} created, {summary.updated} updated "
               f"({', '.join(summary.pairs)})")


@app.command("tm-export")
def tm_export_command(
    org: str = typer.Option(..., "--org", help="Organization slug."),
    source: str = typer.Option(..., "--source", help="Source language, e.g. zh-CN."),
    target: str | None = typer.Option(None, "--target", help="Only this target language."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the TMX file."),
) -> None:
    """Export the organization's translation memory as TMX 1.4b."""
    from xborder.cli.context import get_container
    from xborder.db import transaction

    try:
        with transaction(get_container().session_factory) as session:
            data = localization.export_tmx(session, organization_id=_org_id(session, org), source_language=source,
                                           target_language=target)
    except DomainError as error:
        raise _fail(error) from None
    output.write_bytes(data)
    typer.echo(f"wrote {output}")


@app.command("glossary-import")
def glossary_import_command(
    file: Path = typer.Option(..., "--file", "-f", exists=True, dir_okay=False, help="Glossary CSV or TBX."),
    org: str = typer.Option(..., "--org", help="Organization slug."),
    source: str | None = typer.Option(None, "--source", help="Source language of a TBX file."),
    replace: bool = typer.Option(False, "--replace", help="Delete the existing glossary first."),
) -> None:
    """Import a glossary (CSV: term, kind, language, translation, source_language, market, note; or TBX)."""
    from xborder.cli.context import get_container
    from xborder.db import transaction

    file_format = "tbx" if file.suffix.lower() in (".tbx", ".xml") else "csv"
    try:
        with transaction(get_container().session_factory) as session:
            result = localization.import_glossary(session, organization_id=_org_id(session, org),
                                                  content=file.read_bytes(), file_format=file_format,
                                                  source_language=source, replace=replace)
    except DomainError as error:
        raise _fail(error) from None
    typer.echo(f"{result.terms} term(s) imported, {result.replaced} replaced")


mt_app = typer.Typer(help="Offline machine-translation models (CTranslate2 / Argos Translate packages).",
                     no_args_is_help=True)


def _models_dir() -> Path:
    from xborder.cli.context import get_settings

    return get_settings().data_dir / "mt-models"


@mt_app.command("install")
def mt_install_command(
    source: str = typer.Argument(..., help="Source language, e.g. zh."),
    target: str = typer.Argument(..., help="Target language, e.g. ja."),
    file: Path | None = typer.Option(None, "--file", "-f", exists=True, help="A CTranslate2 model folder, a "
                                     ".zip/.tar.gz of one, or an Argos .argosmodel package. Without it the model "
                                     "is downloaded with argostranslate (needs that package and a network)."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an installed model for this pair."),
) -> None:
    """Install an offline MT model for one language pair under <data_dir>/mt-models/FROM-TO/."""
    from xborder.localization.mt_models import install_mt_model

    try:
        model = install_mt_model(source=source, target=target, models_dir=_models_dir(), archive=file,
                                 replace=replace)
    except DomainError as error:
        raise _fail(error) from None
    typer.echo(f"installed {model.source} -> {model.target} at {model.path} ({model.size_bytes} bytes, "
               f"sha256 {model.sha256[:12]}); use it with XBORDER_MT__PROVIDER=ctranslate2")


@mt_app.command("list")
def mt_list_command(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """List the installed offline MT models."""
    from xborder.localization.mt_models import list_mt_models

    models = list_mt_models(models_dir=_models_dir())
    if as_json:
        typer.echo(json.dumps([{"source": m.source, "target": m.target, "path": str(m.path), "origin": m.origin,
                                "sha256": m.sha256, "size_bytes": m.size_bytes, "installed_at": m.installed_at}
                               for m in models], ensure_ascii=False, indent=2))
        return
    if not models:
        typer.echo(f"no MT models installed in {_models_dir()}")
        return
    table = Table("pair", "size", "installed", "origin")
    for m in models:
        table.add_row(f"{m.source}-{m.target}", f"{m.size_bytes / 1e6:.1f} MB", m.installed_at, m.origin)
    Console().print(table)


app.add_typer(mt_app, name="mt")
