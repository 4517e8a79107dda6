"""HTML error pages for console requests (the app's problem handlers call `render_error` for HTML clients)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from xborder.web.console.i18n import LOCALE_COOKIE, negotiate, translations_for
from xborder.web.console.rendering import render

__all__ = ["render_error"]



def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction; it is translated where it is shown."""
    return message


_TITLES = {
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Conflict"),
    413: N_("The file is too large"),
    422: N_("The input is invalid"),
    429: N_("Too many requests"),
}
_FALLBACK_TITLE = N_("Something went wrong")


def render_error(request: Request, *, status_code: int, code: str, detail: str,
                 errors: list[dict[str, Any]]) -> Response:
    """An error page in the visitor's language; an htmx request gets only the error fragment."""
    container = request.app.state.container
    loc = negotiate(request.cookies.get(LOCALE_COOKIE), default=container.settings.default_locale)
    gettext = translations_for(loc.babel_name).ugettext
    title = gettext(_TITLES.get(status_code, _FALLBACK_TITLE))
    return render(request, loc, "errors/error.html",
                  {"principal": None, "csrf_token": "", "nav": None, "page_title": title, "title": title,
                   "message": detail, "code": code, "errors": errors},
                  fragment="errors/_error_fragment.html", status_code=status_code)
