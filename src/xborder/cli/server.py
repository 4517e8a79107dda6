"""Process commands: serve the web app, run the demo workspace, run job workers, migrate the database."""

from __future__ import annotations

import typer

from xborder.cli.context import get_container, get_settings

__all__ = ["db_app", "demo", "serve", "worker"]

db_app = typer.Typer(help="Database schema (Alembic history, SQLite or PostgreSQL).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION on XBORDER_DATABASE_URL (default: the SQLite file in XBORDER_DATA_DIR)."""
    from xborder.db.migrate import upgrade

    container = get_container()
    upgrade(container.engine, revision)
    typer.echo(f"database at {container.engine.url.render_as_string(hide_password=True)} is at {revision}")


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, help="Worker processes (stateless; all share the database)."),
    migrate: bool = typer.Option(True, help="Apply pending migrations before serving."),
) -> None:
    """Serve the console and the API."""
    import uvicorn

    if migrate:
        from xborder.db.migrate import upgrade

        upgrade(get_container().engine)
    uvicorn.run("xborder.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info")


def demo(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="TCP port."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Only create and seed the workspace."),
) -> None:
    """Create (once) a seeded demo workspace on the embedded defaults, print the sign-in, and serve it."""
    from xborder.db.migrate import upgrade
    from xborder.demo import seed_demo_workspace

    container = get_container()
    upgrade(container.engine)
    credentials = seed_demo_workspace(container)
    settings = get_settings()
    typer.secho("\nxborder demo workspace", bold=True)
    typer.echo(f"  data:      {settings.data_dir}")
    typer.echo(f"  console:   http://{host}:{port}/")
    typer.echo(f"  API docs:  http://{host}:{port}/api/v1/docs")
    for line in credentials.lines():
        typer.echo(f"  {line}")
    typer.echo("")
    if not no_serve:
        serve(host=host, port=port, workers=1, migrate=False)


def worker(once: bool = typer.Option(False, help="Process the queue until empty, then exit.")) -> None:
    """Run background jobs (imports, exports) from the shared database queue."""
    from xborder.jobs import run_worker

    run_worker(get_container(), once=once)
