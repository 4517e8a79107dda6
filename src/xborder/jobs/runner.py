"""Running jobs: the handler registry (and recurring job definitions), one-job execution with heartbeat and
throttled progress, and the in-process runner thread (embedded default) / `run_worker` loop (`xborder worker`, any
number of hosts); both loops also enqueue due recurring jobs (`jobs.schedule`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xborder.db import transaction
from xborder.jobs import service
from xborder.jobs.errors import UnknownJobKind
from xborder.jobs.schedule import RecurringJob, Scheduler
from xborder.jobs.schemas import ClaimedJob, JobHandler, JobResult
from xborder.kernel import Clock, DomainError, new_id

__all__ = ["HandlerRegistry", "InProcessRunner", "RunnerConfig", "default_registry", "register_handler",
           "run_one", "run_worker"]

log = logging.getLogger(__name__)


class HandlerRegistry:
    """kind -> handler. A handler must be safe to re-run: a job whose worker died is run again."""

    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}
        self._schedules: dict[str, RecurringJob] = {}

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    def schedule(self, kind: str, *, every: timedelta, payload: dict[str, Any] | None = None,
                 name: str | None = None) -> RecurringJob:
        """Enqueue a `kind` job every `every` (once per period across all runners and workers sharing the
        database); `name` keys the schedule when one kind recurs with different payloads."""
        return self.add_schedule(RecurringJob(kind=kind, every=every, payload=dict(payload or {}),
                                              name=name or kind))

    def add_schedule(self, recurring: RecurringJob) -> RecurringJob:
        self._schedules[recurring.name] = recurring
        return recurring

    @property
    def schedules(self) -> list[RecurringJob]:
        return [self._schedules[name] for name in sorted(self._schedules)]

    def get(self, kind: str) -> JobHandler:
        try:
            return self._handlers[kind]
        except KeyError:
            raise UnknownJobKind(f"no handler registered for job kind {kind!r}") from None

    @property
    def kinds(self) -> list[str]:
        return sorted(self._handlers)


default_registry = HandlerRegistry()


def register_handler(kind: str, handler: JobHandler) -> None:
    """Register on the process-wide default registry (bootstrap uses a registry per container)."""
    default_registry.register(kind, handler)


@dataclass(frozen=True)
class RunnerConfig:
    poll_min_seconds: float = 0.2
    poll_max_seconds: float = 2.0
    heartbeat_seconds: float = 15.0
    stale_after: timedelta = service.DEFAULT_STALE_AFTER
    progress_min_interval_seconds: float = 0.5
    # On SQLite a progress write must not wait behind an import's write lock; it is skipped instead.
    sqlite_progress_wait_ms: int = 100
    schedule_check_seconds: float = 30.0  # how often a runner looks for due recurring jobs


def _scheduler(factory: sessionmaker[Session], registry: HandlerRegistry, clock: Clock, worker_id: str,
               config: RunnerConfig) -> Scheduler | None:
    schedules = [s for s in registry.schedules if s.kind in registry.kinds]  # never enqueue what nobody runs
    if not schedules:
        return None
    return Scheduler(factory, schedules=schedules, clock=clock, worker_id=worker_id,
                     check_seconds=config.schedule_check_seconds)


def _tick(scheduler: Scheduler | None) -> None:
    if scheduler is None:
        return
    try:
        scheduler.maybe_tick()
    except Exception:  # a failed tick must not stop jobs from running; the next check retries
        log.exception("recurring job check failed")


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[-6:]}"


def _error_payload(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, DomainError):
        return {"code": exc.code, "message": exc.message, "details": [d.as_dict() for d in exc.details]}
    return {"code": "internal_error", "message": f"{type(exc).__name__}: {exc}", "details": []}


class _Progress:
    """Throttled progress writes: at most one per interval, always the last one, never per row."""

    def __init__(self, factory: sessionmaker[Session], job_id: str, worker_id: str, clock: Clock,
                 config: RunnerConfig) -> None:
        self._factory, self._job_id, self._worker_id = factory, job_id, worker_id
        self._clock, self._config = clock, config
        self._last_write = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        service.remember_live_progress(self._job_id, done, total, message)
        now_mono = time.monotonic()
        final = total is not None and done >= total
        if not final and now_mono - self._last_write < self._config.progress_min_interval_seconds:
            return
        self._last_write = now_mono
        self._write(done, total, message)

    def _write(self, done: int, total: int | None, message: str | None) -> None:
        with self._factory() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            previous = None
            try:
                if sqlite:
                    previous = session.execute(text("PRAGMA busy_timeout")).scalar()
                    session.execute(text(f"PRAGMA busy_timeout={int(self._config.sqlite_progress_wait_ms)}"))
                service.record_progress(session, job_id=self._job_id, worker_id=self._worker_id, done=done,
                                        total=total, message=message, now=self._clock.now())
                session.commit()
            except OperationalError:
                session.rollback()
                log.debug("progress write for job %s skipped: database busy", self._job_id)
            finally:
                if sqlite and previous is not None:
                    session.execute(text(f"PRAGMA busy_timeout={int(previous)}"))


class _Heartbeat(threading.Thread):
    def __init__(self, factory: sessionmaker[Session], job_id: str, worker_id: str, clock: Clock,
                 every: float) -> None:
        super().__init__(name=f"job-heartbeat-{job_id}", daemon=True)
        self._factory, self._job_id, self._worker_id = factory, job_id, worker_id
        self._clock, self._every = clock, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self._every):
            try:
                with transaction(self._factory) as session:
                    service.heartbeat(session, job_id=self._job_id, worker_id=self._worker_id, now=self._clock.now())
            except OperationalError:
                log.warning("heartbeat for job %s failed; retrying", self._job_id)


def _execute(factory: sessionmaker[Session], job: ClaimedJob, *, registry: HandlerRegistry, worker_id: str,
             clock: Clock, config: RunnerConfig) -> None:
    beat = _Heartbeat(factory, job.id, worker_id, clock, config.heartbeat_seconds)
    beat.start()
    try:
        handler = registry.get(job.kind)
        result = handler(factory, job, _Progress(factory, job.id, worker_id, clock, config))
    except Exception as exc:
        if not isinstance(exc, DomainError):
            log.exception("job %s (%s) crashed", job.id, job.kind)
        with transaction(factory) as session:
            service.fail_job(session, job_id=job.id, worker_id=worker_id, error=_error_payload(exc), now=clock.now())
    else:
        outcome = result if isinstance(result, JobResult) else JobResult(result)
        with transaction(factory) as session:
            service.complete_job(session, job_id=job.id, worker_id=worker_id, result=outcome.result,
                                 output=outcome.output, now=clock.now())
    finally:
        beat.stopped.set()
        service.forget_live_progress(job.id)


def run_one(factory: sessionmaker[Session], *, registry: HandlerRegistry, clock: Clock, worker_id: str,
            config: RunnerConfig | None = None) -> bool:
    """Claim and run one job; False when the queue was empty."""
    config = config or RunnerConfig()
    with transaction(factory) as session:
        job = service.claim_next(session, worker_id=worker_id, now=clock.now(), kinds=registry.kinds or None,
                                 stale_after=config.stale_after)
    if job is None:
        return False
    _execute(factory, job, registry=registry, worker_id=worker_id, clock=clock, config=config)
    return True


class InProcessRunner:
    """A daemon thread polling the queue with backoff; `wake()` after enqueue skips the wait; `stop()` is clean."""

    def __init__(self, factory: sessionmaker[Session], *, registry: HandlerRegistry, clock: Clock,
                 config: RunnerConfig | None = None, worker_id: str | None = None) -> None:
        self._factory, self._registry, self._clock = factory, registry, clock
        self._config = config or RunnerConfig()
        self.worker_id = worker_id or default_worker_id()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="xborder-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Let the current job finish (up to `timeout`), then end the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        delay = self._config.poll_min_seconds
        scheduler = _scheduler(self._factory, self._registry, self._clock, self.worker_id, self._config)
        while not self._stop.is_set():
            _tick(scheduler)
            try:
                ran = run_one(self._factory, registry=self._registry, clock=self._clock, worker_id=self.worker_id,
                              config=self._config)
            except Exception:  # a database hiccup must not kill the runner thread
                log.exception("job runner poll failed")
                ran = False
            if ran:
                delay = self._config.poll_min_seconds
                continue
            self._wake.wait(delay)
            self._wake.clear()
            delay = min(delay * 2, self._config.poll_max_seconds)


class WorkerContainer(Protocol):
    session_factory: sessionmaker[Session]
    clock: Clock


def run_worker(container: WorkerContainer, *, registry: HandlerRegistry | None = None, once: bool = False,
               config: RunnerConfig | None = None, should_stop: Callable[[], bool] | None = None) -> int:
    """The `xborder worker` loop: run jobs until stopped (or, with once=True, until the queue is empty).

    Returns the number of jobs run. Start as many workers on as many hosts as the database can feed.
    """
    registry = registry or getattr(container, "job_handlers", None) or default_registry
    config = config or RunnerConfig()
    worker_id = default_worker_id()
    scheduler = _scheduler(container.session_factory, registry, container.clock, worker_id, config)
    count, delay = 0, config.poll_min_seconds
    while not (should_stop and should_stop()):
        _tick(scheduler)
        if run_one(container.session_factory, registry=registry, clock=container.clock, worker_id=worker_id,
                   config=config):
            count += 1
            delay = config.poll_min_seconds
            continue
        if once:
            break
        time.sleep(delay)
        delay = min(delay * 2, config.poll_max_seconds)
    return count
