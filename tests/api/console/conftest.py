"""Console test helpers: sign in through the HTML form (with its CSRF token) and read tokens from pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


@pytest.fixture
def console_login(password: str) -> Callable[..., str]:
    """console_login(client, email, next="/") -> the session's CSRF token; the client keeps the cookies."""

    def sign_in(client: TestClient, email: str, next: str = "/") -> str:
        page = client.get(f"/login?next={next}")
        assert page.status_code == 200
        response = client.post("/login", data={"email": email, "password": password, "next": next,
                                               "csrf_token": csrf_from(page.text)}, follow_redirects=False)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == next
        landing = client.get(next)
        assert landing.status_code == 200, landing.text
        return csrf_from(landing.text)

    return sign_in
