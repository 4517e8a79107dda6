"""Identity and tenancy: organizations, users, roles, console sessions, API tokens and idempotency keys.

Every business row carries an organization_id, and services take it from the `Principal` only.
"""

from xborder.identity.auth import (
    hash_token,
    issue_api_token,
    list_api_tokens,
    resolve_api_token,
    resolve_session,
    revoke_api_token,
    sign_in,
    sign_out,
    touch_credential,
)
from xborder.identity.errors import (
    AlreadyExists,
    CsrfFailed,
    IdempotencyKeyReused,
    InvalidCredentials,
    NotAuthenticated,
    RoleRequired,
    SignInThrottled,
)
from xborder.identity.idempotency import (
    StoredResponse,
    find_stored_response,
    request_fingerprint,
    reserve_key,
    store_response,
)
from xborder.identity.principal import ROLE_RANK, Principal, Role, weaker_role
from xborder.identity.schemas import (
    ApiTokenCreate,
    ApiTokenView,
    IssuedToken,
    MembershipView,
    OrganizationView,
    SignedIn,
    UserView,
)
from xborder.identity.service import (
    add_member,
    create_organization,
    create_user,
    get_organization_by_slug,
    list_memberships,
    normalize_email,
    set_locale,
)

__all__ = [
    "ROLE_RANK",
    "AlreadyExists",
    "ApiTokenCreate",
    "ApiTokenView",
    "CsrfFailed",
    "IdempotencyKeyReused",
    "InvalidCredentials",
    "IssuedToken",
    "MembershipView",
    "NotAuthenticated",
    "OrganizationView",
    "Principal",
    "Role",
    "RoleRequired",
    "SignInThrottled",
    "SignedIn",
    "StoredResponse",
    "UserView",
    "add_member",
    "create_organization",
    "create_user",
    "find_stored_response",
    "get_organization_by_slug",
    "hash_token",
    "issue_api_token",
    "list_api_tokens",
    "list_memberships",
    "normalize_email",
    "request_fingerprint",
    "reserve_key",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "set_locale",
    "sign_in",
    "sign_out",
    "store_response",
    "touch_credential",
    "weaker_role",
]
