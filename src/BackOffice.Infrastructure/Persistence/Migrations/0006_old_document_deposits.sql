-- 0006: old IDs dropped into the destruction slot (counted, reconciled with pickups).

CREATE TABLE old_document_deposits (
    "BoxId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "ReceivedAt" timestamp with time zone NOT NULL,
    "DocumentId" uuid,
    CONSTRAINT "PK_old_document_deposits" PRIMARY KEY ("BoxId", "EventId"),
    CONSTRAINT "FK_old_document_deposits_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_old_document_deposits_documents_DocumentId" FOREIGN KEY ("DocumentId") REFERENCES documents ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_old_document_deposits_BoxId_ReceivedAt" ON old_document_deposits ("BoxId", "ReceivedAt");

CREATE INDEX "IX_old_document_deposits_DocumentId" ON old_document_deposits ("DocumentId");
