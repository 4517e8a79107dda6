"""`xborder hs`: search the HS 2022 nomenclature in English or Chinese and show a code's path from its section."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console
from rich.table import Table

from xborder import reference
from xborder.kernel import DomainError, NotFound

__all__ = ["app"]

app = typer.Typer(help="HS 2022 nomenclature: search by code or words (English, 中文), show a code.",
                  no_args_is_help=True)

_LEVELS = {0: "section", 2: "chapter", 4: "heading", 6: "subheading"}


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _dotted(code: str) -> str:
    return f"{code[:4]}.{code[4:]}" if len(code) == 6 else code


@app.command("search")
def search(
    text: str = typer.Argument(..., help='Code prefix ("8518.30") or words, e.g. "bluetooth earphones", 蓝牙耳机.'),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=100, help="Maximum number of results."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Rank headings and subheadings for TEXT."""
    try:
        hits = reference.hs_search(text, limit=limit)
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo(f"no HS 2022 heading matches {text!r}")
        return
    table = Table(title=f"HS 2022 — {text}", show_lines=False)
    table.add_column("code", no_wrap=True)
    table.add_column("level")
    table.add_column("English", overflow="fold")
    table.add_column("中文", overflow="fold")
    table.add_column("score", justify="right")
    for hit in hits:
        table.add_row(_dotted(hit.code), _LEVELS[hit.level], hit.description_en, hit.description_zh or "—",
                      f"{hit.score:.2f}")
    Console().print(table)


@app.command("show")
def show(
    code: str = typer.Argument(..., help="Section numeral, chapter, heading, subheading or 8-10 digit national code."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show CODE with its path from the section down, and its direct children."""
    try:
        path = reference.hs_path(code)
        children = reference.hs_children(path[-1].code)
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        payload = {"path": [dataclasses.asdict(e) for e in path], "children": [dataclasses.asdict(c) for c in children]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for depth, entry in enumerate(path):
        label = f"Section {entry.code}" if entry.level == 0 else _dotted(entry.code)
        typer.echo(f"{'  ' * depth}{label}  [{_LEVELS[entry.level]}]")
        typer.echo(f"{'  ' * depth}  {entry.description_en}")
        if entry.description_zh:
            typer.echo(f"{'  ' * depth}  {entry.description_zh}")
    if children:
        typer.echo(f"\n{len(children)} {_LEVELS[children[0].level]}s:")
        for child in children:
            typer.echo(f"  {_dotted(child.code):9} {child.description_en}")
