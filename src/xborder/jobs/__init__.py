"""Durable jobs in the database: long work (imports, exports) with progress that survives restarts.

Any number of app or worker processes on any number of hosts share one queue (see docs/adr/0003); recurring jobs
registered on the HandlerRegistry are enqueued once per period by whichever of them claims it (`jobs.schedule`).
"""

from xborder.jobs.errors import JobNotFound, JobOutputMissing, UnknownJobKind
from xborder.jobs.runner import (
    HandlerRegistry,
    InProcessRunner,
    RunnerConfig,
    default_registry,
    register_handler,
    run_one,
    run_worker,
)
from xborder.jobs.schedule import (
    RecurringJob,
    Scheduler,
    enqueue_due,
    ensure_schedules,
    platform_organization,
)
from xborder.jobs.schemas import ClaimedJob, JobHandler, JobOutput, JobResult, JobView, ProgressReporter
from xborder.jobs.service import (
    claim_next,
    complete_job,
    enqueue,
    fail_job,
    get_job,
    get_job_output,
    heartbeat,
    list_jobs,
    record_progress,
    requeue_stale,
)

__all__ = [
    "ClaimedJob",
    "HandlerRegistry",
    "InProcessRunner",
    "JobHandler",
    "JobNotFound",
    "JobOutput",
    "JobOutputMissing",
    "JobResult",
    "JobView",
    "ProgressReporter",
    "RecurringJob",
    "RunnerConfig",
    "Scheduler",
    "UnknownJobKind",
    "claim_next",
    "complete_job",
    "default_registry",
    "enqueue",
    "enqueue_due",
    "ensure_schedules",
    "fail_job",
    "get_job",
    "get_job_output",
    "heartbeat",
    "list_jobs",
    "platform_organization",
    "record_progress",
    "register_handler",
    "requeue_stale",
    "run_one",
    "run_worker",
]
