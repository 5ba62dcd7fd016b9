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

-- Appends entries to the chain on the server, in the order given: the lock, the last hash and the
-- inserts run back to back, so the lock is held for microseconds rather than across a service's
-- round trips. A VOLATILE function takes a fresh snapshot for each statement, so the last hash is
-- read after the lock is granted and sees the entry its holder committed. Each hash is the previous
-- hash followed by the content digest the service computed (libs/audit entryHash).
DROP FUNCTION IF EXISTS append_audit_entry(uuid, timestamptz, text, text, text, text, text, text, text, text, text);
CREATE OR REPLACE FUNCTION append_audit_entries(entries jsonb) RETURNS void LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT AS $$
DECLARE
  chain_hash text;
  entry record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.audit_entry'));
  chain_hash := coalesce((SELECT hash FROM audit_entry ORDER BY sequence DESC LIMIT 1), repeat('0', 64));
  FOR entry IN
    SELECT value FROM jsonb_array_elements(entries) WITH ORDINALITY AS given(value, position) ORDER BY position
  LOOP
    INSERT INTO audit_entry (id, occurred_at, actor_id, actor_role, actor_organisation, actor_province, action,
                             subject, detail, reason, previous_hash, hash)
    VALUES ((entry.value->>'id')::uuid, (entry.value->>'occurredAt')::timestamptz, entry.value->>'actorId',
            entry.value->>'actorRole', entry.value->>'actorOrganisation', entry.value->>'actorProvince',
            entry.value->>'action', entry.value->>'subject', entry.value->>'detail', entry.value->>'reason',
            chain_hash, encode(sha256(convert_to(chain_hash || (entry.value->>'contentDigest'), 'UTF8')), 'hex'))
    RETURNING hash INTO chain_hash;
  END LOOP;
END
$$;
