-- The audit trail can only grow, for every role including the table's owner: an UPDATE, DELETE
-- or TRUNCATE fails. Applied to each service's schema by tools/db/migrate after the Prisma
-- migrations (Prisma's WASM migration runner splits statements at every semicolon, including
-- those inside a function body). Idempotent.
CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS audit_entry_no_update_or_delete ON audit_entry;
CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only();
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();

-- Appends one entry to the chain on the server: the lock, the last hash and the insert run back to
-- back, so the lock is held for microseconds rather than across a service's round trips. A
-- VOLATILE SQL function takes a fresh snapshot for each statement, so the last hash is read after
-- the lock is granted and sees the entry its holder committed. The hash is the previous hash
-- followed by the content digest the service computed (libs/audit entryHash).
CREATE OR REPLACE FUNCTION append_audit_entry(
  entry_id uuid, occurred timestamptz, entry_actor_id text, entry_actor_role text,
  entry_actor_organisation text, entry_actor_province text, entry_action text, entry_subject text,
  entry_detail text, entry_reason text, content_digest text
) RETURNS void LANGUAGE sql VOLATILE SET search_path FROM CURRENT AS $$
  SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.audit_entry'));
  INSERT INTO audit_entry (id, occurred_at, actor_id, actor_role, actor_organisation, actor_province, action,
                           subject, detail, reason, previous_hash, hash)
  SELECT entry_id, occurred, entry_actor_id, entry_actor_role, entry_actor_organisation, entry_actor_province,
         entry_action, entry_subject, entry_detail, entry_reason, previous.hash,
         encode(sha256(convert_to(previous.hash || content_digest, 'UTF8')), 'hex')
    FROM (SELECT coalesce((SELECT hash FROM audit_entry ORDER BY sequence DESC LIMIT 1), repeat('0', 64)) AS hash)
         AS previous;
$$;
