"""Per-request console context (`Ui`): language, CSRF token, principal, clock; renders pages and fragments.

Routes depend on `SignedInUi` (signed-in pages) or `AnonymousUi` (sign-in page) and call `ui.render(...)`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xborder.bootstrap import Container
from xborder.identity import Principal
from xborder.kernel import new_secret
from xborder.web.console.i18n import LOCALE_COOKIE, ConsoleLocale, negotiate, translations_for
from xborder.web.console.rendering import is_htmx, render
from xborder.web.deps import get_container, require_console_principal

__all__ = ["LOGIN_CSRF_COOKIE", "AnonymousUi", "SignedInUi", "Ui", "anonymous_ui",
           "safe_next", "signed_in_ui"]

# Double-submit token for the forms shown before a session exists (sign in, language switch on that page).
LOGIN_CSRF_COOKIE = "xb_login_csrf"
_YEAR = 365 * 86400


@dataclass
class Ui:
    """What a console route needs to answer: who, which language, the CSRF token, and the renderer."""

    request: Request
    container: Container
    locale: ConsoleLocale
    csrf_token: str
    principal: Principal | None = None
    set_login_cookie: bool = False
    _extra_cookies: dict[str, str] = field(default_factory=dict)

    def _(self, message: str, **values: Any) -> str:
        """Translate a message of a route (flash texts, error titles) into the page language."""
        text = translations_for(self.locale.babel_name).ugettext(message)
        return text % values if values else text

    def today(self) -> date:
        return self.container.clock.today()

    def render(self, template_name: str, /, *, fragment: str | None = None, status_code: int = 200,
               nav: str | None = None, title: str = "", **context: Any) -> HTMLResponse:
        response = render(self.request, self.locale, template_name,
                          {"principal": self.principal, "csrf_token": self.csrf_token, "nav": nav,
                           "page_title": title, "today": self.today(), **context},
                          fragment=fragment, status_code=status_code)
        self.apply_cookies(response)
        return response

    def redirect(self, url: str, *, status_code: int = 303) -> Response:
        """Navigate after a form post: a 303 for plain forms, `HX-Redirect` for htmx (a whole-page navigation)."""
        response: Response
        if is_htmx(self.request):
            response = Response(status_code=200, headers={"HX-Redirect": url})
        else:
            response = RedirectResponse(url, status_code=status_code)
        self.apply_cookies(response)
        return response

    def remember_locale(self, tag: str) -> None:
        self._extra_cookies[LOCALE_COOKIE] = tag

    def apply_cookies(self, response: Any) -> None:
        secure = self.container.settings.security.cookie_secure
        if self.set_login_cookie:
            response.set_cookie(LOGIN_CSRF_COOKIE, self.csrf_token, httponly=True, samesite="lax", secure=secure,
                                path="/")
        for name, value in self._extra_cookies.items():
            response.set_cookie(name, value, max_age=_YEAR, samesite="lax", secure=secure, path="/")

    def login_csrf_ok(self, submitted: str | None) -> bool:
        expected = self.request.cookies.get(LOGIN_CSRF_COOKIE)
        return bool(expected and submitted and hmac.compare_digest(expected.encode(), submitted.encode()))


def safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site paths are allowed as redirect targets (no scheme, no host, no `//`)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def signed_in_ui(request: Request, principal: Annotated[Principal, Depends(require_console_principal)],
                 container: Annotated[Container, Depends(get_container)]) -> Ui:
    loc = negotiate(principal.locale, default=container.settings.default_locale)
    return Ui(request=request, container=container, locale=loc, csrf_token=principal.csrf_token or "",
              principal=principal)


def anonymous_ui(request: Request, container: Annotated[Container, Depends(get_container)]) -> Ui:
    loc = negotiate(request.cookies.get(LOCALE_COOKIE), default=container.settings.default_locale)
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    return Ui(request=request, container=container, locale=loc, csrf_token=token or new_secret(24),
              set_login_cookie=token is None)


SignedInUi = Annotated[Ui, Depends(signed_in_ui)]
AnonymousUi = Annotated[Ui, Depends(anonymous_ui)]
