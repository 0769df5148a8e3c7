-- Pledges: the network's pledges, each member's sign-up, and progress over time.
-- A pledge's measure is either manual (members report values, with evidence) or computed
-- from the spend analysis (local, SME, VCSE or most-deprived share of influenceable spend),
-- whose progress is never stored: it is worked out from the payments each time, and a
-- member can only add a note to a period. See docs/network/pledges.md.

CREATE SEQUENCE pledge_id_seq START 1;
CREATE TABLE pledges (
    pledge_id       INTEGER PRIMARY KEY DEFAULT nextval('pledge_id_seq'),
    title           VARCHAR NOT NULL,
    text            VARCHAR NOT NULL,
    theme           VARCHAR NOT NULL,
    measure         VARCHAR NOT NULL,              -- what is measured, in words
    metric          VARCHAR,                       -- NULL: manual; local | sme | vcse | deprived: computed
    tier            VARCHAR,                       -- metric 'local': the place tier (e.g. city)
    grain           VARCHAR,                       -- computed: financial_year | quarter
    unit            VARCHAR NOT NULL,              -- computed: '% of influenceable spend'
    direction       VARCHAR NOT NULL DEFAULT 'increase',  -- increase | decrease
    baseline_value  DECIMAL(18, 4),
    baseline_period VARCHAR,                       -- as given: a date (YYYY-MM-DD) or a period (FY2014/15, 2014-Q2)
    baseline_start  DATE,
    baseline_end    DATE,
    target_value    DECIMAL(18, 4) NOT NULL,
    target_date     DATE NOT NULL,
    status          VARCHAR NOT NULL DEFAULT 'open',  -- open | closed
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by      VARCHAR                        -- the account (an e-mail address) or 'cli': never public
);

-- One row per member that has signed a pledge.
CREATE TABLE pledge_signatories (
    pledge_id       INTEGER NOT NULL,              -- pledges.pledge_id
    member_id       INTEGER NOT NULL,              -- members.member_id
    signed_on       DATE NOT NULL,
    baseline_value  DECIMAL(18, 4),                -- the member's own, when it differs from the pledge's
    target_value    DECIMAL(18, 4),                -- the member's own, when it differs from the pledge's
    public          BOOLEAN NOT NULL DEFAULT false, -- agreed to publish its progress
    signed_by       VARCHAR,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (pledge_id, member_id)
);

-- Progress reported by a member: for a manual measure a value as of a date (with evidence);
-- for a computed measure only a note on a period (value is always NULL). One row per
-- pledge, member and date or period: reporting again replaces it (the audit log keeps both).
CREATE SEQUENCE pledge_update_id_seq START 1;
CREATE TABLE pledge_updates (
    update_id       INTEGER PRIMARY KEY DEFAULT nextval('pledge_update_id_seq'),
    pledge_id       INTEGER NOT NULL,
    member_id       INTEGER NOT NULL,
    as_of           DATE,                          -- manual measures
    period          VARCHAR,                       -- computed measures: 2014/15 or 2014-Q2
    value           DECIMAL(18, 4),                -- manual measures only
    evidence        VARCHAR,
    evidence_url    VARCHAR,
    note            VARCHAR,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by      VARCHAR,
    CHECK (as_of IS NOT NULL OR period IS NOT NULL)
);
