-- 0005: pickup at the box: failed attempts per document and per phone, answered requests (idempotency).

ALTER TABLE documents ADD "FailedPickupAttempts" integer NOT NULL DEFAULT 0;
ALTER TABLE documents ALTER COLUMN "FailedPickupAttempts" DROP DEFAULT;
ALTER TABLE documents ADD "PickupLockedAt" timestamp with time zone;
ALTER TABLE documents ADD "BlockedReason" character varying(200);
ALTER TABLE documents ADD "PickedUpAt" timestamp with time zone;

CREATE TABLE pickup_phone_failures (
    "Phone" character varying(16) NOT NULL,
    "Failures" integer NOT NULL,
    "LastFailureAt" timestamp with time zone NOT NULL,
    "LockedAt" timestamp with time zone,
    CONSTRAINT "PK_pickup_phone_failures" PRIMARY KEY ("Phone")
);

CREATE TABLE pickup_requests (
    "BoxId" uuid NOT NULL,
    "RequestId" uuid NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Granted" boolean NOT NULL,
    "Compartments" text[] NOT NULL,
    "Message" character varying(300) NOT NULL,
    CONSTRAINT "PK_pickup_requests" PRIMARY KEY ("BoxId", "RequestId"),
    CONSTRAINT "FK_pickup_requests_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_pickup_requests_BoxId_At" ON pickup_requests ("BoxId", "At");
