-- 0008: the audit trail becomes append-only and tamper-evident, enforced by the database itself: no UPDATE, DELETE or
-- TRUNCATE; every new line is chained to the previous one by a SHA-256 hash over the previous hash and its fields.
-- AuditChain (C#) computes the same hash; the `audit-verify` command walks the chain.

-- Length-prefixed fields, so no choice of text can make two different lines hash alike.
CREATE FUNCTION audit_entry_hash(previous text, sequence bigint, at timestamp with time zone, actor text, action text,
                                 subject text, outcome text, details text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(
        octet_length(previous) || ':' || previous || '|' ||
        sequence::text || '|' ||
        ((extract(epoch FROM at) * 1000000)::bigint)::text || '|' ||
        octet_length(actor) || ':' || actor || '|' ||
        octet_length(action) || ':' || action || '|' ||
        octet_length(subject) || ':' || subject || '|' ||
        octet_length(outcome) || ':' || outcome || '|' ||
        coalesce(octet_length(details) || ':' || details, '-'),
        'UTF8')), 'hex')
$$;

ALTER TABLE audit_entries ADD COLUMN "Sequence" bigint;
ALTER TABLE audit_entries ADD COLUMN "PreviousHash" character varying(64);
ALTER TABLE audit_entries ADD COLUMN "Hash" character varying(64);

-- Document timelines are read from the audit trail from now on: copy the existing timeline lines into it.
INSERT INTO audit_entries ("At", "Actor", "Action", "Subject", "Outcome", "Details")
SELECT "At", "Actor", 'timeline.' || "Kind", 'document:' || "DocumentId", "State", "Note"
FROM document_events ORDER BY "At", "Id";

-- Chain the lines written before this migration, in the order they were written.
DO $$
DECLARE
    line record;
    previous text := '';
    position bigint := 0;
BEGIN
    FOR line IN SELECT * FROM audit_entries ORDER BY "Id" LOOP
        position := position + 1;
        UPDATE audit_entries SET "Sequence" = position, "PreviousHash" = previous,
            "Hash" = audit_entry_hash(previous, position, line."At", line."Actor", line."Action", line."Subject", line."Outcome", line."Details")
        WHERE "Id" = line."Id"
        RETURNING "Hash" INTO previous;
    END LOOP;
END $$;

ALTER TABLE audit_entries ALTER COLUMN "Sequence" SET NOT NULL;
ALTER TABLE audit_entries ALTER COLUMN "PreviousHash" SET NOT NULL;
ALTER TABLE audit_entries ALTER COLUMN "Hash" SET NOT NULL;
CREATE UNIQUE INDEX "IX_audit_entries_Sequence" ON audit_entries ("Sequence");

CREATE FUNCTION audit_entries_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_sequence bigint;
    last_hash text;
BEGIN
    -- One writer at a time extends the chain; the lock is held until the writing transaction ends.
    PERFORM pg_advisory_xact_lock(7311846210455002);
    SELECT "Sequence", "Hash" INTO last_sequence, last_hash FROM audit_entries ORDER BY "Sequence" DESC LIMIT 1;
    NEW."Sequence" := coalesce(last_sequence, 0) + 1;
    NEW."PreviousHash" := coalesce(last_hash, '');
    NEW."Hash" := audit_entry_hash(NEW."PreviousHash", NEW."Sequence", NEW."At", NEW."Actor", NEW."Action", NEW."Subject",
                                   NEW."Outcome", NEW."Details");
    RETURN NEW;
END $$;

CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_chain();

CREATE FUNCTION audit_entries_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
