-- 0012: what the box reports wins over the server's guess.
-- Compartments the box opened without a known reason wait for a person's check before they are loaded again;
-- a door event whose consequences were not applied (database gone mid-way) is applied when the bridge repeats it;
-- a loading keeps its documents and who aborted it, so a late "the door did open" can bring it back.

ALTER TABLE compartments ADD COLUMN "CheckRequiredSince" timestamp with time zone NULL;
ALTER TABLE compartments ADD COLUMN "CheckReason" character varying(200) NULL;

ALTER TABLE door_events ADD COLUMN "ProcessedAt" timestamp with time zone NULL;
UPDATE door_events SET "ProcessedAt" = "ReceivedAt";

ALTER TABLE compartment_loads ADD COLUMN "DocumentIds" uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE compartment_loads ALTER COLUMN "DocumentIds" DROP DEFAULT;
ALTER TABLE compartment_loads ADD COLUMN "AbortedBy" character varying(256) NULL;
UPDATE compartment_loads l SET "DocumentIds" = ARRAY(SELECT d."Id" FROM documents d WHERE d."LoadId" = l."Id");
