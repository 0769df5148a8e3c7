"""The web app's security, in one place: passwords, sessions, CSRF, the login rate limit
and the audit log.

- Passwords are hashed with Argon2id (argon2-cffi, RFC 9106 parameters) and rehashed on
  sign-in when the parameters change. An unknown account costs the same time as a
  known one, so sign-in does not reveal which addresses have accounts.
- The session is a cookie signed with itsdangerous (HMAC-SHA1 keyed from the app's
  secret, with a timestamp): ``{"uid": user id, "sv": session version, "csrf": token}``.
  It is HttpOnly, SameSite=Lax, Secure over HTTPS, and valid for ``SESSION_HOURS``.
  Nothing secret is in it; the account is read from the database on every request, so
  a role change or a deactivation applies at once, and raising the account's
  ``session_version`` (password change, deactivation) ends all its sessions.
- CSRF: every session, signed in or not, carries a random token; every POST must send
  it back (form field ``csrf_token`` or header ``X-CSRF-Token``), checked in constant
  time. Signing in issues a new session and a new token (no session fixation).
- Sign-in is rate limited per client address and per account, from the
  ``login_attempts`` table (so the limit survives a restart).
- The audit log (who changed what) is written by :mod:`anchornet.audit`, for the web and
  the command line alike; ``audit``, ``Actor`` and ``audit_entries`` are re-exported here.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from anchornet.audit import Actor, audit, audit_entries  # noqa: F401  (re-exported)

SESSION_COOKIE = "anchornet_session"
SESSION_HOURS = 12
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SECRET_FILE = "web-secret.key"
MIN_PASSWORD = 10

# Sign-in rate limit: failed attempts within the window.
LIMIT_WINDOW_MINUTES = 15
LIMIT_PER_ACCOUNT = 5
LIMIT_PER_ADDRESS = 20

# -- passwords ---------------------------------------------------------------------------
_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile
_DUMMY_HASH: str | None = None


def configure_hasher(**params) -> None:
    """Change the Argon2 parameters (time_cost, memory_cost, parallelism), e.g. for tests."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(**params)
    _DUMMY_HASH = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown account (None) costs the same time."""
    global _DUMMY_HASH
    if stored_hash is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
        stored_hash = _DUMMY_HASH
        password = password + "\x00never"
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not good enough, or None."""
    if len(password) < MIN_PASSWORD:
        return f"the password must be at least {MIN_PASSWORD} characters long"
    if len(password) > 1024:
        return "the password is too long (at most 1024 characters)"
    if email and password.strip().lower() == email.strip().lower():
        return "the password must not be the e-mail address"
    if len(set(password)) < 4:
        return "the password is too easy to guess"
    return None


# -- the app's secret ------------------------------------------------------------------------
def load_secret(workspace_path: Path) -> str:
    """The workspace's web secret: read, or made (random, 256 bits, owner-only file)."""
    path = Path(workspace_path) / SECRET_FILE
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text
    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret


# -- sessions ----------------------------------------------------------------------------------
class Sessions:
    """Signed session cookies."""

    def __init__(self, secret: str):
        self._serializer = URLSafeTimedSerializer(secret, salt="anchornet.web.session")

    def load(self, cookie: str | None) -> dict | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:  # also an expired signature
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        return data

    def dump(self, data: dict) -> str:
        return self._serializer.dumps(data)

    @staticmethod
    def anonymous() -> dict:
        return {"csrf": new_csrf_token()}

    @staticmethod
    def signed_in(user_id: int, session_version: int) -> dict:
        return {"uid": user_id, "sv": session_version, "csrf": new_csrf_token()}


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(session: dict | None, submitted: str | None) -> bool:
    if not session or not submitted:
        return False
    expected = session.get("csrf") or ""
    return hmac.compare_digest(expected.encode(), submitted.encode())


# -- sign-in rate limit ---------------------------------------------------------------------------
def seconds_blocked(con, ip: str, email: str) -> int:
    """How long sign-in is refused for this address or account (0: not refused)."""
    window = f"INTERVAL {LIMIT_WINDOW_MINUTES} MINUTE"
    rows = con.execute(
        f"""
        WITH recent AS (
            SELECT * FROM login_attempts WHERE tried_at > CAST(current_timestamp AS TIMESTAMP) - {window}
        ),
        account AS (  -- failures since the account's last success
            SELECT tried_at FROM recent WHERE email = ? AND NOT success
              AND tried_at > coalesce((SELECT max(tried_at) FROM recent WHERE email = ? AND success),
                                      TIMESTAMP '1970-01-01')
        ),
        address AS (SELECT tried_at FROM recent WHERE ip = ? AND NOT success)
        SELECT (SELECT count(*) FROM account), (SELECT min(tried_at) FROM account),
               (SELECT count(*) FROM address), (SELECT min(tried_at) FROM address),
               CAST(current_timestamp AS TIMESTAMP)
        """,
        [email, email, ip],
    ).fetchone()
    n_account, first_account, n_address, first_address, now = rows
    waits = []
    if n_account >= LIMIT_PER_ACCOUNT:
        waits.append(first_account)
    if n_address >= LIMIT_PER_ADDRESS:
        waits.append(first_address)
    if not waits:
        return 0
    until = min(waits)
    seconds = LIMIT_WINDOW_MINUTES * 60 - int((now - until).total_seconds())
    return max(seconds, 1)


def record_attempt(con, ip: str, email: str, success: bool) -> None:
    con.execute("INSERT INTO login_attempts (ip, email, success) VALUES (?, ?, ?)", [ip, email, success])
    con.execute(
        "DELETE FROM login_attempts WHERE tried_at < CAST(current_timestamp AS TIMESTAMP) - INTERVAL 2 DAY"
    )


