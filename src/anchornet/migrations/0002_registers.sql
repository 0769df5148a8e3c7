-- Reference registers: Companies House, the Charity Commission register, the ONS
-- postcode lookup and members' own supplier lists; and the history of their loads.
-- See docs/registers.md.

CREATE SEQUENCE register_load_id_seq START 1;
-- One row per load of a register (per member for supplier lists). Loading again
-- replaces the register's rows; the earlier load's row stays, status 'replaced'.
CREATE TABLE register_loads (
    load_id       INTEGER PRIMARY KEY,
    register      VARCHAR NOT NULL,         -- companies-house | charities | postcodes | suppliers
    member_id     INTEGER,                  -- suppliers only
    file_name     VARCHAR NOT NULL,         -- the file(s) given, comma separated
    source_files  VARCHAR[] NOT NULL,       -- what was read ('archive.zip!member.csv')
    sha256        VARCHAR NOT NULL,         -- of the file given (of the set, for several)
    size_bytes    BIGINT NOT NULL,
    rows_loaded   BIGINT NOT NULL,
    rows_skipped  BIGINT NOT NULL DEFAULT 0,
    vintage       VARCHAR,                  -- e.g. 2024-05-01, NSPL NOV 2021, 2024-05-12
    options_json  VARCHAR NOT NULL DEFAULT '{}',
    notes_json    VARCHAR NOT NULL DEFAULT '[]',
    status        VARCHAR NOT NULL,         -- active | replaced
    replaced_by   INTEGER,
    loaded_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    seconds       DOUBLE
);

-- Companies House Free Company Data Product (BasicCompanyData), one row per company.
CREATE TABLE companies (
    company_number      VARCHAR NOT NULL,   -- as published: 8 characters ('02535986', 'SC123456')
    name                VARCHAR,
    name_key            VARCHAR,            -- sn_name_key(name)
    address_line1       VARCHAR,
    address_line2       VARCHAR,
    post_town           VARCHAR,
    county              VARCHAR,
    country             VARCHAR,
    postcode_raw        VARCHAR,            -- as written in the register
    postcode            VARCHAR,            -- pc_normalise(postcode_raw)
    category            VARCHAR,            -- CompanyCategory
    status              VARCHAR,            -- CompanyStatus
    country_of_origin   VARCHAR,
    incorporation_date  DATE,
    dissolution_date    DATE,
    account_category    VARCHAR,            -- Accounts.AccountCategory
    size_band           VARCHAR NOT NULL,   -- micro | small | medium | large | dormant | unknown
    accounts_made_up_to DATE,               -- Accounts.LastMadeUpDate
    sic_codes           VARCHAR[],          -- ['62020', ...]
    sic_descriptions    VARCHAR[],          -- same order as sic_codes
    uri                 VARCHAR,
    previous_names      VARCHAR[],          -- PreviousName_1..10, newest first
    load_id             INTEGER NOT NULL
);

-- Charity Commission for England and Wales register extract (publicextract.charity).
CREATE TABLE charities (
    charity_number        VARCHAR NOT NULL,  -- registered_charity_number
    linked_number         INTEGER NOT NULL,  -- 0 for the main charity
    organisation_number   BIGINT,
    org_id                VARCHAR,           -- GB-CHC-<number>
    name                  VARCHAR,
    name_key              VARCHAR,
    charity_type          VARCHAR,
    registration_status   VARCHAR,           -- Registered | Removed
    date_of_registration  DATE,
    date_of_removal       DATE,
    reporting_status      VARCHAR,
    latest_income         DECIMAL(18, 2),
    latest_expenditure    DECIMAL(18, 2),
    latest_fin_period_end DATE,
    address               VARCHAR,           -- contact address lines joined with ', '
    postcode_raw          VARCHAR,
    postcode              VARCHAR,
    company_number        VARCHAR,           -- reg_company_number(charity_company_registration_number)
    is_cio                BOOLEAN,
    insolvent             BOOLEAN,
    in_administration     BOOLEAN,
    date_of_extract       DATE,
    load_id               INTEGER NOT NULL
);

-- ONS National Statistics Postcode Lookup / ONS Postcode Directory, one row per postcode.
CREATE TABLE postcodes (
    postcode       VARCHAR NOT NULL,   -- pc_normalise: 'OX1 1BX'
    district       VARCHAR NOT NULL,   -- outward code 'OX1'
    sector         VARCHAR NOT NULL,   -- 'OX1 1'
    area           VARCHAR NOT NULL,   -- 'OX'
    country        VARCHAR,            -- E, W, S, N (L Channel Islands, M Isle of Man)
    country_code   VARCHAR,            -- ctry, e.g. E92000001
    lad_code       VARCHAR,            -- local authority district (laua / lad25cd ...)
    ward_code      VARCHAR,
    lsoa_code      VARCHAR,            -- LSOA / data zone / SOA (newest in the file)
    region_code    VARCHAR,            -- English region (rgn); NULL outside England
    imd_rank       INTEGER,            -- 1 = most deprived, within the country
    imd_decile     TINYINT,            -- 1 = most deprived 10%, within the country
    imd_index      VARCHAR,            -- which index the rank is from, e.g. IoD2019
    lat            DOUBLE,
    long           DOUBLE,
    introduced     DATE,               -- dointr, first day of the month
    terminated     DATE,               -- doterm; NULL while the postcode is live
    load_id        INTEGER NOT NULL
);

-- A member's own supplier list (its vendor master file), one row per line.
CREATE TABLE member_suppliers (
    member_id          INTEGER NOT NULL,
    load_id            INTEGER NOT NULL,
    sheet              VARCHAR,
    source_line        BIGINT NOT NULL,
    supplier_name      VARCHAR,
    name_key           VARCHAR,
    supplier_ref       VARCHAR,
    address            VARCHAR,
    postcode_raw       VARCHAR,
    postcode           VARCHAR,
    company_number_raw VARCHAR,
    company_number     VARCHAR,
    charity_number_raw VARCHAR,
    charity_number     VARCHAR,
    sme                BOOLEAN,
    vcse               BOOLEAN,
    sme_raw            VARCHAR,
    vcse_raw           VARCHAR,
    raw                VARCHAR[]           -- every cell of the line as written
);
