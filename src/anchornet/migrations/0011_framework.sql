-- The progression framework and self-assessments. See docs/network/framework.md.

-- Each version of a framework used in this workspace: loaded from a file, or a default
-- (business, public) stored when first assessed against, so that every assessment's text
-- stays readable whatever later versions of anchornet ship.
CREATE TABLE frameworks (
    framework_id    VARCHAR NOT NULL,          -- the file's id: business, public, leeds-business
    version         INTEGER NOT NULL,          -- the file's version
    name            VARCHAR NOT NULL,
    applies_to      VARCHAR,                   -- business | public | NULL
    definition_json VARCHAR NOT NULL,          -- the validated file, as JSON
    digest          VARCHAR NOT NULL,          -- sha256 of the canonical JSON (same content, same digest)
    source          VARCHAR NOT NULL,          -- the file's name, or 'default'
    loaded_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    loaded_by       VARCHAR,
    PRIMARY KEY (framework_id, version)
);

-- Which framework members take, where the default (by sector kind) is not wanted.
-- scope: 'kind:business', 'kind:public' (for every member of that kind) or 'member:<id>'.
CREATE TABLE framework_choices (
    scope         VARCHAR PRIMARY KEY,
    framework_id  VARCHAR NOT NULL,
    set_by        VARCHAR,
    set_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE assessment_id_seq START 1;
-- One self-assessment: a member, against one version of a framework, on a date.
CREATE TABLE assessments (
    assessment_id      INTEGER PRIMARY KEY DEFAULT nextval('assessment_id_seq'),
    member_id          INTEGER NOT NULL,
    framework_id       VARCHAR NOT NULL,
    framework_version  INTEGER NOT NULL,
    assessed_on        DATE NOT NULL,
    assessed_by        VARCHAR NOT NULL,       -- the account (e-mail) or 'cli': internal only
    created_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Per dimension: the level chosen, the member's evidence, and the spend figures shown then.
CREATE TABLE assessment_answers (
    assessment_id        INTEGER NOT NULL,
    dimension_id         VARCHAR NOT NULL,
    level                INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    evidence             VARCHAR NOT NULL DEFAULT '',
    spend_evidence_json  VARCHAR NOT NULL DEFAULT '[]',
    PRIMARY KEY (assessment_id, dimension_id)
);
