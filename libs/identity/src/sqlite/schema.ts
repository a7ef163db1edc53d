/**
 * The vault's own tables, prefixed `identity_` so they can share a file with the event store without
 * touching `events`. Keys live only here; events carry sealed values and pseudonymous ids.
 */
export const IDENTITY_SCHEMA = `
CREATE TABLE IF NOT EXISTS identity_keys (
  patient_id    TEXT PRIMARY KEY,
  data_key_id   TEXT NOT NULL,
  master_key_id TEXT NOT NULL,
  wrapped_key   BLOB NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identity_nhs_number_index (
  lookup_key TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS identity_erasures (
  patient_id TEXT PRIMARY KEY,
  erased_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identity_secrets (
  name          TEXT PRIMARY KEY,
  master_key_id TEXT NOT NULL,
  wrapped_key   BLOB NOT NULL
);
`;
