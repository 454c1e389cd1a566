-- 0003: the SMS outbox (texts stored encrypted, erased once sent).

CREATE TABLE outgoing_sms (
    "Id" uuid NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "Recipient" character varying(16) NOT NULL,
    "Purpose" character varying(30) NOT NULL,
    "DocumentId" uuid,
    "ProtectedBody" text,
    "Status" character varying(10) NOT NULL,
    "Attempts" integer NOT NULL,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "LastError" character varying(500),
    "SentAt" timestamp with time zone,
    "GatewayMessageId" character varying(200),
    CONSTRAINT "PK_outgoing_sms" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_outgoing_sms_DocumentId" ON outgoing_sms ("DocumentId");

CREATE INDEX "IX_outgoing_sms_Status_NextAttemptAt" ON outgoing_sms ("Status", "NextAttemptAt");
