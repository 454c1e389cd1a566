-- 0004: documents, their history, and loadings of compartments.

CREATE TABLE compartment_loads (
    "Id" uuid NOT NULL,
    "BoxId" uuid NOT NULL,
    "CompartmentId" uuid NOT NULL,
    "CommandId" uuid,
    "Status" character varying(10) NOT NULL,
    "StartedAt" timestamp with time zone NOT NULL,
    "EndedAt" timestamp with time zone,
    "StartedBy" character varying(256) NOT NULL,
    "AbortReason" character varying(200),
    CONSTRAINT "PK_compartment_loads" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_compartment_loads_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_compartment_loads_compartments_CompartmentId" FOREIGN KEY ("CompartmentId") REFERENCES compartments ("Id") ON DELETE RESTRICT
);

CREATE TABLE documents (
    "Id" uuid NOT NULL,
    "Type" character varying(20) NOT NULL,
    "DocumentNumber" character varying(9) NOT NULL,
    "HolderName" character varying(100) NOT NULL,
    "DateOfBirth" date NOT NULL,
    "MobileNumber" character varying(16) NOT NULL,
    "OldDocumentNumbers" text[] NOT NULL,
    "ApplicationReference" character varying(50) NOT NULL,
    "BoxId" uuid NOT NULL,
    "NeedsAccessibleCompartment" boolean NOT NULL,
    "State" character varying(20) NOT NULL,
    "CompartmentId" uuid,
    "LoadId" uuid,
    "RegisteredAt" timestamp with time zone NOT NULL,
    "ReadyAt" timestamp with time zone,
    "PickupDeadline" date,
    "PinHash" character varying(200),
    "PinIssuedAt" timestamp with time zone,
    CONSTRAINT "PK_documents" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_documents_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_documents_compartment_loads_LoadId" FOREIGN KEY ("LoadId") REFERENCES compartment_loads ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_documents_compartments_CompartmentId" FOREIGN KEY ("CompartmentId") REFERENCES compartments ("Id") ON DELETE RESTRICT
);

CREATE TABLE document_events (
    "Id" bigint GENERATED ALWAYS AS IDENTITY,
    "DocumentId" uuid NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "State" character varying(20) NOT NULL,
    "Actor" character varying(200) NOT NULL,
    "Note" character varying(500) NOT NULL,
    CONSTRAINT "PK_document_events" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_document_events_documents_DocumentId" FOREIGN KEY ("DocumentId") REFERENCES documents ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_compartment_loads_BoxId" ON compartment_loads ("BoxId");

CREATE INDEX "IX_compartment_loads_CommandId" ON compartment_loads ("CommandId");

CREATE UNIQUE INDEX "IX_compartment_loads_CompartmentId" ON compartment_loads ("CompartmentId") WHERE "Status" IN ('Opening', 'DoorOpen');

CREATE INDEX "IX_document_events_DocumentId_At" ON document_events ("DocumentId", "At");

CREATE UNIQUE INDEX "IX_documents_ApplicationReference" ON documents ("ApplicationReference");

CREATE INDEX "IX_documents_BoxId_State" ON documents ("BoxId", "State");

CREATE INDEX "IX_documents_CompartmentId" ON documents ("CompartmentId");

CREATE UNIQUE INDEX "IX_documents_DocumentNumber" ON documents ("DocumentNumber");

CREATE INDEX "IX_documents_LoadId" ON documents ("LoadId");

CREATE INDEX "IX_documents_MobileNumber" ON documents ("MobileNumber");

ALTER TABLE outgoing_sms ADD CONSTRAINT "FK_outgoing_sms_documents_DocumentId" FOREIGN KEY ("DocumentId") REFERENCES documents ("Id") ON DELETE RESTRICT;
