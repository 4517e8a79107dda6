"""Pure identity rules: role ordering, principal capabilities, request fingerprints."""

from __future__ import annotations

from xborder.identity import Principal, request_fingerprint, weaker_role


def _principal(role: str) -> Principal:
    return Principal(user_id="u", organization_id="o", organization_name="O", organization_kind="seller",
                     role=role, email="a@b.c", display_name="A", locale="en")  # type: ignore[arg-type]


def test_roles_order_and_capabilities() -> None:
    assert weaker_role("owner", "viewer") == "viewer"
    assert weaker_role("operator", "owner") == "operator"
    assert [_principal(r).can_write for r in ("viewer", "operator", "owner")] == [False, True, True]
    assert [_principal(r).can_admin for r in ("viewer", "operator", "owner")] == [False, False, True]
    assert not _principal("owner").via_session


def test_fingerprint_depends_on_method_path_and_body() -> None:
    base = request_fingerprint(method="post", path="/p", body=b"{}")
    assert base == request_fingerprint(method="POST", path="/p", body=b"{}")
    assert len({base, request_fingerprint(method="PUT", path="/p", body=b"{}"),
                request_fingerprint(method="POST", path="/q", body=b"{}"),
                request_fingerprint(method="POST", path="/p", body=b"[]")}) == 4
