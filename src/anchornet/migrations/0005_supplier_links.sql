-- Links from supplier entities to the reference registers, and what they tell.
CREATE TABLE supplier_links (
    entity_id    BIGINT NOT NULL,
    register     VARCHAR NOT NULL,          -- companies | charities | member_suppliers
    register_id  VARCHAR NOT NULL,          -- company number, charity number, or 'member:line'
    method       VARCHAR NOT NULL,          -- how the link was made
    probability  DOUBLE NOT NULL,
    PRIMARY KEY (entity_id, register, register_id)
);

ALTER TABLE supplier_entities ADD COLUMN postcode_source VARCHAR;
ALTER TABLE supplier_entities ADD COLUMN org_id VARCHAR;
ALTER TABLE supplier_entities ADD COLUMN company_status VARCHAR;
ALTER TABLE supplier_entities ADD COLUMN size_band VARCHAR;
ALTER TABLE supplier_entities ADD COLUMN sic_codes VARCHAR[];
ALTER TABLE supplier_entities ADD COLUMN sme BOOLEAN;
ALTER TABLE supplier_entities ADD COLUMN link_probability DOUBLE;
