-- Ingestion: members, the files they sent, every record of every file with its lineage.
CREATE SEQUENCE member_id_seq START 1;
CREATE TABLE members (
    member_id   INTEGER PRIMARY KEY DEFAULT nextval('member_id_seq'),
    name        VARCHAR NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE file_id_seq START 1;
-- One row per ingest of one original file. A superseded file keeps its row
-- (status 'superseded') so its history stays explainable; its records are removed.
CREATE TABLE files (
    file_id         INTEGER PRIMARY KEY DEFAULT nextval('file_id_seq'),
    member_id       INTEGER NOT NULL,
    name            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    format          VARCHAR NOT NULL,      -- csv, xlsx, xls, ods
    encoding        VARCHAR,
    delimiter       VARCHAR,
    line_ending     VARCHAR,
    kind            VARCHAR NOT NULL,      -- payments | supplier_totals
    mapping_json    VARCHAR NOT NULL,      -- canonical field -> source column, per sheet
    mapping_hash    VARCHAR NOT NULL,
    period_start    DATE,
    period_end      DATE,
    period_source   VARCHAR,               -- dates | option | filename | none
    status          VARCHAR NOT NULL,      -- active | superseded
    superseded_by   INTEGER,
    ingested_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    notes_json      VARCHAR NOT NULL DEFAULT '[]'
);

-- Line accounting per sheet (a delimited file has one part with sheet NULL).
CREATE TABLE file_parts (
    file_id             INTEGER NOT NULL,
    part_no             INTEGER NOT NULL,
    sheet               VARCHAR,
    header_line         INTEGER,
    header_json         VARCHAR NOT NULL,   -- the header cells as written
    lines_total         BIGINT NOT NULL,
    lines_header        BIGINT NOT NULL,    -- header and title lines above it
    lines_blank         BIGINT NOT NULL,
    lines_nondata       BIGINT NOT NULL,    -- footer totals, repeated headers, junk
    lines_continuation  BIGINT NOT NULL,    -- extra lines inside quoted fields
    rows_loaded         BIGINT NOT NULL,
    rows_quarantined    BIGINT NOT NULL,
    footer_total        DECIMAL(18, 2),     -- the file's own total line, when it has one
    skipped_reason      VARCHAR,            -- a sheet that holds no payments, and why
    PRIMARY KEY (file_id, part_no)
);

-- Every non-blank record below the header: payments, quarantined rows and
-- non-data lines alike, so each line of a file can be traced.
CREATE TABLE records (
    file_id          INTEGER NOT NULL,
    member_id        INTEGER NOT NULL,
    part_no          INTEGER NOT NULL,
    source_line      BIGINT NOT NULL,
    status           VARCHAR NOT NULL,     -- loaded | quarantined | nondata
    reason           VARCHAR,              -- why quarantined / what kind of non-data
    record_type      VARCHAR,              -- payment | period_total
    payment_date     DATE,
    period_start     DATE,
    period_end       DATE,
    amount           DECIMAL(18, 2),
    supplier_name    VARCHAR,
    supplier_ref     VARCHAR,
    category         VARCHAR,
    service_area     VARCHAR,
    expense_code     VARCHAR,
    transaction_ref  VARCHAR,
    capital_revenue  VARCHAR,
    body             VARCHAR,
    vat_number       VARCHAR,
    irrecoverable_vat DECIMAL(18, 2),
    merchant_category VARCHAR,
    supplier_type    VARCHAR,
    date_raw         VARCHAR,
    amount_raw       VARCHAR,
    flags            VARCHAR[],
    raw              VARCHAR[]
);

CREATE VIEW payments AS SELECT * FROM records WHERE status = 'loaded';
CREATE VIEW quarantine AS SELECT * FROM records WHERE status = 'quarantined';
