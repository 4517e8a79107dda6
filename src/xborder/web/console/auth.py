"""Console sign-in, sign-out and the language switch (persisted per user; a cookie before sign-in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from xborder import identity
from xborder.web.console.context import AnonymousUi, SignedInUi, safe_next
from xborder.web.console.i18n import console_locale
from xborder.web.deps import (
    SESSION_COOKIE,
    ConsoleFormPrincipal,
    DbSession,
    clear_session_cookie,
    commit_in_route,
    set_session_cookie,
    sign_in_console,
    sign_out_console,
)

__all__ = ["router"]

router = APIRouter()


@router.get("/login")
def login_page(ui: AnonymousUi, next: str = "/") -> Response:
    return ui.render("auth/login.html", title=ui._("Sign in"), next_url=safe_next(next), email="", error=None,
                     notice=None)


@router.post("/login")
def login(
    ui: AnonymousUi,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    target = safe_next(next)
    if not ui.login_csrf_ok(csrf_token):
        return ui.render("auth/login.html", status_code=403, title=ui._("Sign in"), next_url=target, email=email,
                         error=ui._("The form expired. Please sign in again."), notice=None)
    try:
        signed = sign_in_console(ui.container, ui.request, email=email, password=password)
    except identity.SignInThrottled as exc:
        minutes = max(1, (exc.retry_after_seconds + 59) // 60)
        throttled = ui.render("auth/login.html", status_code=429, title=ui._("Sign in"), next_url=target,
                              email=email, notice=None,
                              error=ui._("Too many failed attempts. Try again in %(minutes)s minutes.",
                                         minutes=minutes))
        throttled.headers["Retry-After"] = str(exc.retry_after_seconds)
        return throttled
    except identity.InvalidCredentials:
        return ui.render("auth/login.html", status_code=401, title=ui._("Sign in"), next_url=target, email=email,
                         error=ui._("Email or password is incorrect."), notice=None)
    ui.remember_locale(signed.principal.locale)
    response = ui.redirect(target)
    set_session_cookie(response, signed, ui.container)
    return response


@router.post("/logout")
def logout(ui: SignedInUi, principal: ConsoleFormPrincipal) -> Response:
    sign_out_console(ui.container, ui.request.cookies.get(SESSION_COOKIE))
    response = ui.redirect("/login")
    clear_session_cookie(response, ui.container)
    return response


@router.post("/locale")
def switch_locale(ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession,
                  locale: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    chosen = console_locale(locale)
    if chosen is not None:
        identity.set_locale(session, user_id=principal.user_id, locale=chosen.tag)
        commit_in_route(session)
        ui.remember_locale(chosen.tag)
    return ui.redirect(safe_next(next))


@router.post("/login/locale")
def switch_login_locale(ui: AnonymousUi, locale: Annotated[str, Form()] = "",
                        csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/login") -> Response:
    chosen = console_locale(locale)
    if chosen is not None and ui.login_csrf_ok(csrf_token):
        ui.remember_locale(chosen.tag)
    return ui.redirect(safe_next(next, default="/login"))
