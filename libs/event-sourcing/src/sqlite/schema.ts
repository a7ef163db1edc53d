// Positions are SQLite rowids: assigned under the single write lock, so commit order is position order.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY,
  stream_id       TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  category        TEXT    NOT NULL,
  event_id        TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key                    TEXT PRIMARY KEY,
  fingerprint            TEXT    NOT NULL,
  stream_id              TEXT    NOT NULL,
  first_revision         INTEGER NOT NULL,
  next_expected_revision INTEGER NOT NULL,
  position               INTEGER NOT NULL,
  stored_at              TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  name      TEXT PRIMARY KEY,
  position  INTEGER NOT NULL,
  stored_at TEXT NOT NULL
);
`;
