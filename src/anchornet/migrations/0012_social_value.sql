-- Social value: the measure tables a network loads (versioned: a version, once loaded,
-- never changes), the social value commitments in members' contracts and what has been
-- delivered against them. See docs/network/social-value.md.

CREATE SEQUENCE sv_set_id_seq START 1;
-- One row per loaded version of a measure table; exactly one is current once any is loaded.
CREATE TABLE sv_measure_sets (
    set_id      INTEGER PRIMARY KEY DEFAULT nextval('sv_set_id_seq'),
    name        VARCHAR NOT NULL,                -- e.g. anchornet-default
    version     VARCHAR NOT NULL,                -- e.g. 2026.1
    source      VARCHAR NOT NULL,                -- the file it came from, or 'shipped with anchornet'
    sha256      VARCHAR NOT NULL,                -- of the measure rows as loaded: a repeat load is a no-op
    is_current  BOOLEAN NOT NULL DEFAULT false,  -- the version valuations use
    loaded_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    loaded_by   VARCHAR NOT NULL DEFAULT '',     -- an account's e-mail address, or 'cli'
    UNIQUE (name, version)
);

-- The measures of one version.
CREATE TABLE sv_measures (
    set_id       INTEGER NOT NULL,               -- sv_measure_sets.set_id
    code         VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    theme        VARCHAR NOT NULL,               -- jobs | skills | local supply chain | VCSE | environment | ...
    unit         VARCHAR NOT NULL,               -- FTE, weeks, hours, £, tCO2e, ...
    description  VARCHAR,
    proxy_value  DECIMAL(18, 4),                 -- £ per unit; NULL when the table gives none
    position     INTEGER NOT NULL,               -- order in the file
    PRIMARY KEY (set_id, code)
);

CREATE SEQUENCE sv_contract_id_seq START 1;
-- A member's contract that carries social value commitments; the member is the buyer.
CREATE TABLE sv_contracts (
    contract_id         INTEGER PRIMARY KEY DEFAULT nextval('sv_contract_id_seq'),
    member_id           INTEGER NOT NULL,        -- members.member_id (the buyer)
    title               VARCHAR NOT NULL,
    reference           VARCHAR,                 -- the member's own contract reference
    supplier_name       VARCHAR NOT NULL,        -- as the member writes it
    supplier_entity_id  BIGINT,                  -- supplier_entities.entity_id, when linked
    value               DECIMAL(18, 2),          -- £, the contract's value
    start_date          DATE,
    end_date            DATE,
    publish             BOOLEAN NOT NULL DEFAULT false,  -- the member agrees to publish it
    created_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by          VARCHAR NOT NULL DEFAULT '',
    updated_at          TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE sv_commitment_id_seq START 1;
-- What the supplier committed to on one measure (one row per contract and measure code).
CREATE TABLE sv_commitments (
    commitment_id  INTEGER PRIMARY KEY DEFAULT nextval('sv_commitment_id_seq'),
    contract_id    INTEGER NOT NULL,
    measure_code   VARCHAR NOT NULL,             -- kept as a code: valuations use the current version
    quantity       DECIMAL(18, 2) NOT NULL,      -- in the measure's unit
    by_date        DATE,
    set_id         INTEGER,                      -- the measure set in use when it was recorded
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (contract_id, measure_code)
);

CREATE SEQUENCE sv_delivery_id_seq START 1;
-- What was delivered against a commitment in one reporting period (ending on as_of);
-- the delivered total is the sum. Reporting the same date again replaces that report.
CREATE TABLE sv_deliveries (
    delivery_id    INTEGER PRIMARY KEY DEFAULT nextval('sv_delivery_id_seq'),
    commitment_id  INTEGER NOT NULL,
    as_of          DATE NOT NULL,
    period         VARCHAR,                      -- a label such as 2025-Q1 (optional)
    quantity       DECIMAL(18, 2) NOT NULL,
    evidence       VARCHAR NOT NULL DEFAULT '',  -- the member's own note; never public
    reported_by    VARCHAR NOT NULL DEFAULT '',
    reported_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (commitment_id, as_of)
);
