-- Suppliers: every distinct payee as written, the entities they resolve to, the
-- coordinator's decisions, and the candidate matches behind each entity.
CREATE SEQUENCE payee_id_seq START 1;
-- One row per distinct (member, supplier name as written, supplier reference).
CREATE TABLE payees (
    payee_id          BIGINT PRIMARY KEY DEFAULT nextval('payee_id_seq'),
    member_id         INTEGER NOT NULL,
    supplier_name     VARCHAR NOT NULL,
    supplier_ref      VARCHAR NOT NULL,          -- '' when the file has none
    name_key          VARCHAR,
    trading_key       VARCHAR,
    vat_number        VARCHAR,
    class             VARCHAR NOT NULL,          -- company | vcse | public | individual | redacted | unknown
    class_reason      VARCHAR NOT NULL,
    personal          BOOLEAN NOT NULL,          -- a private individual or redacted: never shown publicly
    matchable         BOOLEAN NOT NULL,          -- false for redacted and surely-personal payees
    entity_id         BIGINT,                    -- NULL for personal payees: each stays anonymous
    match_probability DOUBLE,                    -- of the weakest link that joined it to its entity
    first_seen        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (member_id, supplier_name, supplier_ref)
);

CREATE TABLE supplier_entities (
    entity_id       BIGINT PRIMARY KEY,          -- the payee_id of its first payee: stable
    display_name    VARCHAR NOT NULL,
    name_key        VARCHAR,
    class           VARCHAR NOT NULL,
    class_reason    VARCHAR NOT NULL,
    personal        BOOLEAN NOT NULL,            -- a possible private individual: never shown publicly
    postcode        VARCHAR,                     -- set by the coordinator or from a register
    company_number  VARCHAR,
    charity_number  VARCHAR,
    payees          INTEGER NOT NULL,
    members         INTEGER NOT NULL,
    min_probability DOUBLE,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- An entity id that disappeared because its entity merged into another.
CREATE TABLE entity_aliases (
    old_entity_id BIGINT PRIMARY KEY,
    entity_id     BIGINT NOT NULL
);

-- Scored candidate pairs of payees (both directions stored once: a < b).
CREATE TABLE payee_pairs (
    payee_a      BIGINT NOT NULL,
    payee_b      BIGINT NOT NULL,
    probability  DOUBLE NOT NULL,
    weight       DOUBLE NOT NULL,
    evidence     VARCHAR NOT NULL,               -- JSON: comparison -> level
    PRIMARY KEY (payee_a, payee_b)
);

CREATE SEQUENCE override_id_seq START 1;
-- The coordinator's decisions; they win on every run.
CREATE TABLE supplier_overrides (
    override_id  INTEGER PRIMARY KEY DEFAULT nextval('override_id_seq'),
    action       VARCHAR NOT NULL,               -- merge | split | set
    payee_id     BIGINT,                         -- split: this payee; merge: one of the two
    other_payee  BIGINT,                         -- merge: the other
    field        VARCHAR,                        -- set: class | postcode | company_number | charity_number
    value        VARCHAR,
    note         VARCHAR,
    created_by   VARCHAR,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    active       BOOLEAN NOT NULL DEFAULT true
);
