-- 0007: timeline kinds (reports select by them), reminders and retrieval of overdue documents, reasons of service
-- openings, and the four-eyes record of old-ID bin emptyings.

ALTER TABLE document_events ADD COLUMN "Kind" character varying(30) NOT NULL DEFAULT 'Note';
ALTER TABLE document_events ALTER COLUMN "Kind" DROP DEFAULT;
ALTER TABLE document_events ADD COLUMN "CompartmentLabel" character varying(20);
CREATE INDEX "IX_document_events_At_Kind" ON document_events ("At", "Kind");

ALTER TABLE documents ADD COLUMN "ReminderSentAt" timestamp with time zone;
ALTER TABLE documents ADD COLUMN "ReturnedToCounterAt" timestamp with time zone;

ALTER TABLE bridge_commands ADD COLUMN "Reason" character varying(200);

CREATE TABLE bin_emptyings (
    "Id" uuid NOT NULL,
    "BoxId" uuid NOT NULL,
    "EmptiedAt" timestamp with time zone NOT NULL,
    "CountedDocuments" integer NOT NULL,
    "ReportedDeposits" integer NOT NULL,
    "DepositsUntil" timestamp with time zone NOT NULL,
    "RecordedBy" character varying(256) NOT NULL,
    "WitnessedBy" character varying(256) NOT NULL,
    "Note" character varying(500),
    CONSTRAINT "PK_bin_emptyings" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_bin_emptyings_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_bin_emptyings_BoxId_EmptiedAt" ON bin_emptyings ("BoxId", "EmptiedAt");
