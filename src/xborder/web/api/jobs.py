"""Jobs API: status, progress, result and error report of long-running work."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from xborder import jobs
from xborder.jobs import JobView
from xborder.web.api._common import PROBLEM_RESPONSES, CursorParam, LimitParam, PageOut
from xborder.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["jobs"], responses=PROBLEM_RESPONSES)


@router.get("/jobs", response_model=PageOut[JobView], summary="Jobs of the organization, newest first")
def list_jobs(principal: ApiPrincipal, session: DbSession, cursor: CursorParam = None, limit: LimitParam = 50,
              kind: str | None = Query(None, max_length=64),
              status: Literal["queued", "running", "succeeded", "failed"] | None = None) -> PageOut[JobView]:
    page = jobs.list_jobs(session, organization_id=principal.organization_id, kind=kind, status=status,
                          cursor=cursor, limit=limit)
    return PageOut[JobView](items=page.items, next_cursor=page.next_cursor)


@router.get("/jobs/{job_id}", response_model=JobView, summary="One job: status, progress, result or error report")
def get_job(job_id: str, principal: ApiPrincipal, session: DbSession) -> JobView:
    return jobs.get_job(session, organization_id=principal.organization_id, job_id=job_id)
