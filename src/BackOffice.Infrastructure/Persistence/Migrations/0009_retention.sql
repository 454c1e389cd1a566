-- 0009: retention of personal data: when a document's personal data was erased, and the record of each run.

ALTER TABLE documents ADD COLUMN "PersonalDataErasedAt" timestamp with time zone;

CREATE TABLE retention_runs (
    "Id" uuid NOT NULL,
    "StartedAt" timestamp with time zone NOT NULL,
    "FinishedAt" timestamp with time zone NOT NULL,
    "StartedBy" character varying(256) NOT NULL,
    "Cutoff" timestamp with time zone NOT NULL,
    "DocumentsErased" integer NOT NULL,
    "MessagesErased" integer NOT NULL,
    CONSTRAINT "PK_retention_runs" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_retention_runs_StartedAt" ON retention_runs ("StartedAt");
