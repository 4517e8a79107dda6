"""Composition root: builds engine, sessions, clock, job runner and event handlers from Settings.

Only `web/` and `cli/` import this module; domains receive what they need as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xborder.db import make_engine, make_session_factory
from xborder.jobs import HandlerRegistry
from xborder.kernel import Clock, Event, SystemClock
from xborder.settings import Settings

__all__ = ["Container", "bootstrap"]

EventHandler = Callable[[Event], None]


@dataclass
class Container:
    """Everything a delivery layer needs to serve a request or run a command."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    handlers: dict[type[Event], list[EventHandler]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    job_handlers: HandlerRegistry = field(default_factory=HandlerRegistry)

    def publish(self, events: list[Event]) -> None:
        for event in events:
            for handler in self.handlers.get(type(event), []):
                handler(event)


def bootstrap(settings: Settings, *, clock: Clock | None = None) -> Container:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), echo=settings.sql_echo)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock or SystemClock(),
    )
