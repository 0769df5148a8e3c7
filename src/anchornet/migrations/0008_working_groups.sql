-- Working groups: themed groups of members (procurement, employment, net zero, ...), the role
-- each member plays in them (chair, co-chair, member), their meetings with notes and who
-- attended, and their actions with an owner member, a due date and a status.
-- See docs/network/groups.md.
CREATE SEQUENCE wg_group_id_seq START 1;
CREATE TABLE working_groups (
    group_id    INTEGER PRIMARY KEY DEFAULT nextval('wg_group_id_seq'),
    name        VARCHAR NOT NULL UNIQUE,
    theme       VARCHAR NOT NULL,                -- a code of network/groups.py THEMES
    purpose     VARCHAR NOT NULL DEFAULT '',
    status      VARCHAR NOT NULL DEFAULT 'active',  -- active | closed
    publish     BOOLEAN NOT NULL DEFAULT false,  -- the coordinator agreed to show it in public outputs
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One role per member per group; a group has at most one chair and any number of co-chairs.
CREATE TABLE group_roles (
    group_id    INTEGER NOT NULL,                -- working_groups.group_id
    member_id   INTEGER NOT NULL,                -- members.member_id (any member, businesses included)
    role        VARCHAR NOT NULL,                -- chair | co-chair | member
    since       DATE NOT NULL DEFAULT current_date,
    PRIMARY KEY (group_id, member_id)
);

CREATE SEQUENCE wg_meeting_id_seq START 1;
CREATE TABLE group_meetings (
    meeting_id  INTEGER PRIMARY KEY DEFAULT nextval('wg_meeting_id_seq'),
    group_id    INTEGER NOT NULL,
    held_on     DATE NOT NULL,
    title       VARCHAR NOT NULL,
    notes       VARCHAR NOT NULL DEFAULT '',     -- plain text, shown with its line breaks
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE group_meeting_attendees (
    meeting_id  INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

CREATE SEQUENCE wg_action_id_seq START 1;
CREATE TABLE group_actions (
    action_id       INTEGER PRIMARY KEY DEFAULT nextval('wg_action_id_seq'),
    group_id        INTEGER NOT NULL,
    meeting_id      INTEGER,                     -- the meeting it came from, when it did
    text            VARCHAR NOT NULL,
    owner_member_id INTEGER NOT NULL,            -- the member organisation that owns it
    owner_person    VARCHAR,                     -- a person's name: never public
    due_on          DATE,
    status          VARCHAR NOT NULL DEFAULT 'open',  -- open | in_progress | done | dropped
    done_on         DATE,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
