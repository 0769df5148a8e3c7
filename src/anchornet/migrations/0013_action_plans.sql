-- Action plans of the Living Wage Places kind: a goal over several years, milestones with
-- owners, dates and status. See docs/network/plans.md.

CREATE SEQUENCE action_plan_id_seq START 1;
CREATE TABLE action_plans (
    plan_id      INTEGER PRIMARY KEY DEFAULT nextval('action_plan_id_seq'),
    title        VARCHAR NOT NULL,
    goal         VARCHAR,
    start_year   INTEGER NOT NULL,
    end_year     INTEGER NOT NULL,
    status       VARCHAR NOT NULL DEFAULT 'draft',   -- draft | active | complete
    publish      BOOLEAN NOT NULL DEFAULT false,     -- the coordinator agreed to show it in public outputs
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE plan_milestone_id_seq START 1;
CREATE TABLE plan_milestones (
    milestone_id     INTEGER PRIMARY KEY DEFAULT nextval('plan_milestone_id_seq'),
    plan_id          INTEGER NOT NULL,
    title            VARCHAR NOT NULL,
    year             INTEGER NOT NULL,           -- within the plan's years
    due_on           DATE,                       -- optional: a date within the year
    owner_member_id  INTEGER,                    -- members.member_id, optional
    owner_person     VARCHAR,                    -- a person: private (coordinator and the owner's lead)
    status           VARCHAR NOT NULL DEFAULT 'not-started',  -- not-started | in-progress | done | at-risk | dropped
    done_on          DATE,
    note             VARCHAR,
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);
