"""`xborder` command: mounts one sub-app per domain; each command parses, calls one service, renders."""

from __future__ import annotations

import typer

from xborder.cli import catalog as catalog_cli
from xborder.cli import compliance as compliance_cli
from xborder.cli import hs as hs_cli
from xborder.cli import inventory as inventory_cli
from xborder.cli import l10n as l10n_cli
from xborder.cli import markets as markets_cli
from xborder.cli import pricing as pricing_cli
from xborder.cli import server as server_cli

app = typer.Typer(
    name="xborder",
    help="xborder — cross-border commerce operations: compliance, landed cost, localization, replenishment.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

app.command("serve")(server_cli.serve)
app.command("demo")(server_cli.demo)
app.command("worker")(server_cli.worker)
app.add_typer(server_cli.db_app, name="db")
app.add_typer(catalog_cli.import_app, name="import")
app.add_typer(catalog_cli.export_app, name="export")
app.add_typer(markets_cli.app, name="markets")
app.add_typer(hs_cli.app, name="hs")
app.command("quote")(pricing_cli.quote)
app.add_typer(pricing_cli.fx_app, name="fx")
app.add_typer(pricing_cli.tariffs_app, name="tariffs")
app.add_typer(compliance_cli.compliance_app, name="compliance")
app.add_typer(compliance_cli.rules_app, name="rules")
app.command("forecast")(inventory_cli.forecast)
app.command("replenish")(inventory_cli.replenish)
app.add_typer(inventory_cli.stock_app, name="stock")
app.add_typer(l10n_cli.app, name="l10n")
app.add_typer(l10n_cli.mt_app, name="mt")

if __name__ == "__main__":
    app()
