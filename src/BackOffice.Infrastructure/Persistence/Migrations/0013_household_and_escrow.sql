-- 0013: one household per compartment with one PIN, and an old-ID bin that counts only what it keeps.
-- A clerk can join a document to another's household (otherwise the household is the mobile number's);
-- a granted pickup records which third factor it used and which documents it handed over;
-- the slot reports each old ID's fate after the decision (kept in the bin, or handed back);
-- each reconciliation line to follow up can be marked as followed up.

ALTER TABLE documents ADD COLUMN "HouseholdId" character varying(64) NULL;

ALTER TABLE pickup_requests ADD COLUMN "Factor" character varying(20) NULL;
ALTER TABLE pickup_requests ADD COLUMN "DocumentIds" uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE pickup_requests ALTER COLUMN "DocumentIds" DROP DEFAULT;

-- Every deposit reported so far was reported at insertion, by a bridge that never hands one back.
ALTER TABLE old_document_deposits ADD COLUMN "Disposition" character varying(20) NOT NULL DEFAULT 'Deposited';
ALTER TABLE old_document_deposits ALTER COLUMN "Disposition" DROP DEFAULT;
ALTER TABLE old_document_deposits ADD COLUMN "PickupRequestId" uuid NULL;
CREATE INDEX "IX_old_document_deposits_BoxId_PickupRequestId" ON old_document_deposits ("BoxId", "PickupRequestId");

CREATE TABLE bin_follow_ups (
    "BoxId" uuid NOT NULL,
    "Kind" character varying(30) NOT NULL,
    "Reference" uuid NOT NULL,
    "By" character varying(256) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Note" character varying(500) NOT NULL,
    CONSTRAINT "PK_bin_follow_ups" PRIMARY KEY ("BoxId", "Kind", "Reference"),
    CONSTRAINT "FK_bin_follow_ups_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT
);
