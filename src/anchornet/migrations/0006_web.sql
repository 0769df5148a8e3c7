-- The web app: accounts and roles, the audit log, login attempts (for the rate limit)
-- and what the coordinator has chosen to publish on the public dashboard. See docs/web.md.

CREATE SEQUENCE user_id_seq START 1;
-- One row per account. role: coordinator (everything), member (a member's lead: their
-- own organisation's data and records, and the network's shared views), viewer
-- (read-only shared views). A member lead has a member_id; the others have none.
CREATE TABLE users (
    user_id          INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
    email            VARCHAR NOT NULL UNIQUE,   -- stored lower case
    name             VARCHAR NOT NULL DEFAULT '',
    password_hash    VARCHAR NOT NULL,          -- argon2id, in the PHC string format
    role             VARCHAR NOT NULL,          -- coordinator | member | viewer
    member_id        INTEGER,                   -- member leads only
    active           BOOLEAN NOT NULL DEFAULT true,
    session_version  INTEGER NOT NULL DEFAULT 1, -- raised to end every session of the account
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login_at    TIMESTAMP
);

CREATE SEQUENCE audit_id_seq START 1;
-- Who changed what, and when: one row per change (and per sign-in and sign-out).
CREATE TABLE audit_log (
    audit_id    BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    happened_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_id     INTEGER,                        -- NULL for the command line or an anonymous attempt
    actor       VARCHAR NOT NULL,               -- the account's e-mail address, or 'cli'
    action      VARCHAR NOT NULL,               -- e.g. login, upload, supplier.merge, users.add
    member_id   INTEGER,                        -- the member whose records changed, when one did
    target      VARCHAR,                        -- what was changed (a file, a supplier, an account)
    detail_json VARCHAR NOT NULL DEFAULT '{}',
    ip          VARCHAR
);

-- Every sign-in attempt, for the rate limit (per address and per account).
CREATE TABLE login_attempts (
    tried_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    ip       VARCHAR NOT NULL,
    email    VARCHAR NOT NULL,
    success  BOOLEAN NOT NULL
);

-- At most one row: what the public dashboard shows (nothing until it is published).
CREATE TABLE public_dashboard (
    published   BOOLEAN NOT NULL DEFAULT false,
    title       VARCHAR NOT NULL DEFAULT 'Where the network''s money goes',
    period      VARCHAR,                        -- an analysis period (FY2014/15, 2014-Q2...), NULL = all
    members     VARCHAR[] NOT NULL DEFAULT [],  -- empty = the whole network
    sections    VARCHAR[] NOT NULL DEFAULT ['headline', 'trend', 'leakage', 'top_suppliers'],
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_by  VARCHAR
);
