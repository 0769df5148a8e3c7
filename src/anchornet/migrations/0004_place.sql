-- The place: the network's geography, defined once, in named tiers (innermost first).
-- Setting the place again replaces all three tables in one transaction. See docs/place.md.
-- The views that locate suppliers (supplier_locations, supplier_tiers) are built on
-- these tables by anchornet.place.locate.install(): they use the postcode SQL macros.

-- At most one row: the place's name and where its definition came from.
CREATE TABLE place (
    name        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,              -- 'command line' or the YAML file's name
    notes_json  VARCHAR NOT NULL DEFAULT '[]', -- warnings when it was set (nesting, unknown codes)
    defined_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per tier; tier_no 1 is the innermost (e.g. 1 city, 2 county, 3 region).
-- A tier contains every tier inside it: its spend share includes theirs.
CREATE TABLE place_tiers (
    tier_no  INTEGER NOT NULL,
    name     VARCHAR NOT NULL
);

-- The codes that make up each tier, as given (normalised: upper case, no spaces).
CREATE TABLE place_codes (
    tier_no   INTEGER NOT NULL,
    position  INTEGER NOT NULL,                -- order given within the tier
    code      VARCHAR NOT NULL,                -- 'E07000178', 'E12000008', 'W92000004', 'OX', 'OX1'
    kind      VARCHAR NOT NULL                 -- lad | region | country | postcode_area | postcode_district
);
