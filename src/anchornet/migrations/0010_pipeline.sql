-- The business engagement pipeline: prospective business members, from identified to
-- joined (or declined), with why they fit, the next step, and every stage change kept.
-- Internal to the coordinator: never in a public output. See docs/network/pipeline.md.

CREATE SEQUENCE prospect_id_seq START 1;
CREATE TABLE prospects (
    prospect_id     INTEGER PRIMARY KEY DEFAULT nextval('prospect_id_seq'),
    name            VARCHAR NOT NULL,            -- the organisation
    company_number  VARCHAR,                     -- Companies House number, normalised ('02557144')
    sector          VARCHAR,                     -- a code of network/sectors.py SECTORS
    employees       INTEGER,
    size_band       VARCHAR,                     -- micro | small | medium | large | dormant | unknown
    postcode        VARCHAR,                     -- registered office (normalised)
    fit_place       BOOLEAN NOT NULL DEFAULT false,  -- why they fit: a connection to the place
    fit_size        BOOLEAN NOT NULL DEFAULT false,  -- ... their size
    fit_sector      BOOLEAN NOT NULL DEFAULT false,  -- ... their sector
    fit_note        VARCHAR,                     -- ... in words
    stage           VARCHAR NOT NULL DEFAULT 'identified',  -- identified | approached | senior-meeting | roundtable | co-design | joined | declined
    contact_name    VARCHAR,                     -- a person: private
    contact_role    VARCHAR,
    contact_email   VARCHAR,
    owner           VARCHAR,                     -- who leads the approach (an account or a person)
    notes           VARCHAR,
    next_step       VARCHAR,
    next_step_on    DATE,
    source          VARCHAR NOT NULL DEFAULT 'manual',  -- manual | companies-house
    member_id       INTEGER,                     -- members.member_id once joined
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE prospect_move_id_seq START 1;
-- Every stage change (and the first stage), in the order recorded.
CREATE TABLE prospect_stage_history (
    move_id      INTEGER PRIMARY KEY DEFAULT nextval('prospect_move_id_seq'),
    prospect_id  INTEGER NOT NULL,
    from_stage   VARCHAR,                        -- NULL when the prospect was added
    to_stage     VARCHAR NOT NULL,
    moved_on     DATE NOT NULL,                  -- the date it happened (may be earlier than recorded)
    moved_by     VARCHAR NOT NULL,               -- the account's e-mail address, or 'cli'
    note         VARCHAR,
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
