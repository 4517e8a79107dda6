"""Catalog import pages: upload a CSV/XLSX as a job, watch its progress, read or download the error report."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from xborder import catalog, jobs
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.console.import_reasons import REASONS
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["IMPORT_JOB_KIND", "router"]

router = APIRouter()
IMPORT_JOB_KIND = "catalog.import"
RECENT_JOBS = 10


def _issues(ui: Ui, job: jobs.JobView) -> list[dict[str, Any]]:
    """Error lines of a finished import as {row, column, message, code, reason}, from the report or the job error.

    `reason` is a short explanation of the code in the page language (Chinese only: in English it would repeat
    the importer's message), or None.
    """
    if job.result and job.result.get("errors"):
        lines = [{"row": e.get("row"), "column": e.get("column"), "message": e.get("message"), "code": e.get("code")}
                 for e in job.result["errors"]]
    elif job.error and job.error.get("details"):
        lines = [{"row": d.get("row"), "column": d.get("field") or d.get("column"), "message": d.get("message"),
                  "code": d.get("code")} for d in job.error["details"]]
    elif job.error:
        lines = [{"row": None, "column": None, "message": job.error.get("message"), "code": job.error.get("code")}]
    else:
        lines = []
    explain = ui.locale.tag != "en"
    for line in lines:
        known = REASONS.get(line["code"] or "")
        line["reason"] = ui._(known) if known and explain else None
    return lines


def _upload_page(ui: Ui, session: Any, *, error: str | None = None, status_code: int = 200) -> Response:
    assert ui.principal is not None
    recent = jobs.list_jobs(session, organization_id=ui.principal.organization_id, kind=IMPORT_JOB_KIND,
                            limit=RECENT_JOBS)
    return ui.render("imports/upload.html", fragment="imports/_upload_fragment.html", nav="import",
                     title=ui._("Import"), recent=recent.items, error=error, status_code=status_code,
                     max_mb=ui.container.settings.imports.max_upload_bytes // (1024 * 1024),
                     columns=catalog.COLUMNS)


@router.get("/catalog/import")
def import_page(ui: SignedInUi, session: DbSession) -> Response:
    return _upload_page(ui, session)


@router.post("/catalog/import")
def import_upload(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
                  session: DbSession, background: BackgroundTasks) -> Response:
    require_writer(principal)
    upload = form.get("file")
    limit = ui.container.settings.imports.max_upload_bytes
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _upload_page(ui, session, error=ui._("Choose a CSV or XLSX file to import."), status_code=422)
    if upload.size is not None and upload.size > limit:
        return _upload_page(ui, session, status_code=413,
                            error=ui._("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    content = upload.file.read()
    if not content:
        return _upload_page(ui, session, error=ui._("The file is empty."), status_code=422)
    dry_run = str(form.get("dry_run") or "").lower() in ("1", "true", "on", "yes")
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=IMPORT_JOB_KIND, now=ui.container.clock.now(),
                       payload={"filename": upload.filename, "dry_run": dry_run}, input=content,
                       input_filename=upload.filename)
    commit_in_route(session)
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)
    return ui.redirect(f"/catalog/import/jobs/{job.id}")


@router.get("/catalog/import/jobs/{job_id}")
def import_job(ui: SignedInUi, session: DbSession, job_id: str) -> Response:
    assert ui.principal is not None
    job = jobs.get_job(session, organization_id=ui.principal.organization_id, job_id=job_id)
    done = job.status in ("succeeded", "failed")
    percent = 100 if done else (min(99, job.progress_done * 100 // job.progress_total) if job.progress_total else 0)
    issues = _issues(ui, job) if done else []
    return ui.render("imports/job.html", fragment="imports/_job_fragment.html", nav="import",
                     title=ui._("Import"), job=job, done=done, percent=percent, issues=issues,
                     report=job.result or {}, failed=job.status == "failed" or bool(issues))


@router.get("/catalog/import/jobs/{job_id}/errors.csv")
def import_errors_csv(ui: SignedInUi, session: DbSession, job_id: str) -> Response:
    assert ui.principal is not None
    job = jobs.get_job(session, organization_id=ui.principal.organization_id, job_id=job_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([ui._("Row"), ui._("Column"), ui._("Reason"), ui._("Code")])
    for issue in _issues(ui, job):
        reason = f"{issue['reason']}: {issue['message']}" if issue["reason"] else issue["message"] or ""
        # Cells echo the user's file: neutralize them so a spreadsheet never runs them as formulas.
        writer.writerow([issue["row"] if issue["row"] is not None else "",
                         catalog.neutralize(issue["column"] or ""), catalog.neutralize(reason), issue["code"] or ""])
    name = f"import-errors-{job.id}.csv"
    return Response(("\ufeff" + buffer.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
