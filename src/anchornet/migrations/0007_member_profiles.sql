-- The network's members as organisations: sector, size, role in the network, senior
-- sponsor, connection to place. One row per member that has a profile; a member may have
-- payments data (from ingestion), a profile, or both. See docs/network/members.md.
CREATE TABLE member_profiles (
    member_id           INTEGER PRIMARY KEY,     -- members.member_id
    sector              VARCHAR,                 -- a code of network/sectors.py SECTORS
    employees           INTEGER,
    annual_spend        DECIMAL(18, 2),          -- as the member states it (its own figure)
    network_role        VARCHAR,                 -- founding | core | associate
    via_organisation    VARCHAR,                 -- associates: the chamber of commerce or business group
    sponsor_name        VARCHAR,                 -- the senior (C-suite) sponsor: a person, never public
    sponsor_title       VARCHAR,
    sponsor_email       VARCHAR,
    hq_postcode         VARCHAR,
    main_sites          VARCHAR,                 -- free text, one site per line
    staff_local_share   DOUBLE,                  -- 0..1, share of staff living in the place
    joined_on           DATE,
    supplier_entity_id  INTEGER,                 -- the member as a supplier (supplier_entities.entity_id)
    website             VARCHAR,
    notes               VARCHAR,
    publish_listing     BOOLEAN NOT NULL DEFAULT false,  -- agreed to be named in public outputs
    updated_at          TIMESTAMP NOT NULL DEFAULT current_timestamp
);
