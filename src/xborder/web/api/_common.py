"""Shared API pieces: the page envelope, pagination parameters and the problem responses every router declares."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from xborder.web.problems import PROBLEM_RESPONSES

__all__ = ["MAX_LIMIT", "PROBLEM_RESPONSES", "CursorParam", "LimitParam", "PageOut"]

T = TypeVar("T")
MAX_LIMIT = 200


class PageOut(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page (null on the last page)."""

    items: list[T]
    next_cursor: str | None


CursorParam = Annotated[str | None, Query(description="opaque cursor from the previous page's next_cursor")]
LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")]
