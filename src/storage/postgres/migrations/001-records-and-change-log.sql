-- Dateline's shared store: every record in its file form, the change log (which is also every record's revision
-- history), and the counter that numbers changes in commit order.

-- Records: the file form (what a data file holds, without "$schema") plus the columns the loader and the export
-- need. The type is json, not jsonb: jsonb reorders keys, nested ones too, and an export must give back the files
-- as people wrote them, so that a `git diff` of an exported folder shows only real changes. `origin_file`/`origin_line` say where an imported record came from, so that an export lays the
-- folder out as it was imported; `position` keeps the catalogue files in their order.
CREATE TABLE events (
  slug text PRIMARY KEY,
  date text NOT NULL,
  record json NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  updated_at timestamptz,
  origin_file text,
  origin_line integer
);
CREATE INDEX events_by_origin ON events (origin_file, origin_line);

CREATE TABLE places (
  slug text PRIMARY KEY,
  position integer NOT NULL,
  record json NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  updated_at timestamptz
);

CREATE TABLE actors (LIKE places INCLUDING ALL);
CREATE TABLE sources (LIKE places INCLUDING ALL);

-- One row per committed change, numbered by `seq` in commit order; each is also a revision of its record (revision 1,
-- the record as imported, is not a change). `before`/`after` are json, not jsonb, to keep the key order of the file form.
CREATE TABLE changes (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  editor text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('CREATED', 'UPDATED', 'RETRACTED', 'RESTORED')),
  entity_type text NOT NULL CHECK (entity_type IN ('Event', 'Place', 'Actor', 'Source')),
  entity_slug text NOT NULL,
  revision integer NOT NULL,
  note text,
  changed_fields text[] NOT NULL,
  before json,
  after json NOT NULL,
  UNIQUE (entity_type, entity_slug, revision)
);

-- The last `seq` handed out. Every commit updates this single row inside its transaction, so commits that change
-- the log are serialized and become visible in `seq` order: a reader of "changes after N" can never see N+2 before
-- N+1 (unlike a serial column, whose values can commit out of order).
CREATE TABLE change_counter (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_seq bigint NOT NULL
);
INSERT INTO change_counter (last_seq) VALUES (0);

-- Set once by the import: which data set this database holds (part of the data version every replica serves).
CREATE TABLE dataset_info (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  dataset_id text NOT NULL,
  imported_at timestamptz NOT NULL,
  imported_from text NOT NULL
);
