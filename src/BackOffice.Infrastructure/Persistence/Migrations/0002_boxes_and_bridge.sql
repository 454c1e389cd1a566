-- 0002: boxes, compartments, bridge commands, door events and the audit trail.

CREATE TABLE audit_entries (
    "Id" bigint GENERATED ALWAYS AS IDENTITY,
    "At" timestamp with time zone NOT NULL,
    "Actor" character varying(200) NOT NULL,
    "Action" character varying(200) NOT NULL,
    "Subject" character varying(200) NOT NULL,
    "Outcome" character varying(200) NOT NULL,
    "Details" character varying(2000),
    CONSTRAINT "PK_audit_entries" PRIMARY KEY ("Id")
);

CREATE TABLE boxes (
    "Id" uuid NOT NULL,
    "Code" character varying(20) NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Address" character varying(200) NOT NULL,
    "TimeZoneId" character varying(64) NOT NULL,
    "OpenAroundTheClock" boolean NOT NULL,
    "PickupDeadlineDays" integer NOT NULL,
    "BridgeKeyHash" character varying(64),
    "BridgeKeyIssuedAt" timestamp with time zone,
    "LastHeartbeatAt" timestamp with time zone,
    "BridgeSoftwareVersion" character varying(200),
    "ReturnBinFillPercent" integer,
    "Faults" text[] NOT NULL,
    CONSTRAINT "PK_boxes" PRIMARY KEY ("Id")
);

CREATE TABLE box_opening_periods (
    "Id" uuid NOT NULL,
    "BoxId" uuid NOT NULL,
    "Day" character varying(10) NOT NULL,
    "Opens" time without time zone NOT NULL,
    "Closes" time without time zone NOT NULL,
    CONSTRAINT "PK_box_opening_periods" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_box_opening_periods_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE CASCADE
);

CREATE TABLE compartments (
    "Id" uuid NOT NULL,
    "BoxId" uuid NOT NULL,
    "Label" character varying(20) NOT NULL,
    "Module" integer NOT NULL,
    "Row" integer NOT NULL,
    "Size" character varying(2) NOT NULL,
    "Accessible" boolean NOT NULL,
    "State" character varying(20) NOT NULL,
    "OutOfServiceReason" character varying(200),
    "DoorState" character varying(10) NOT NULL,
    "DoorStateAt" timestamp with time zone,
    CONSTRAINT "PK_compartments" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_compartments_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT
);

CREATE TABLE bridge_commands (
    "Id" uuid NOT NULL,
    "BoxId" uuid NOT NULL,
    "CompartmentId" uuid NOT NULL,
    "CompartmentLabel" character varying(20) NOT NULL,
    "Purpose" character varying(10) NOT NULL,
    "Status" character varying(10) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "DeliveredAt" timestamp with time zone,
    "CompletedAt" timestamp with time zone,
    "ResultDetail" character varying(200),
    "RequestedBy" character varying(256) NOT NULL,
    "ReportedByBox" boolean NOT NULL,
    CONSTRAINT "PK_bridge_commands" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_bridge_commands_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_bridge_commands_compartments_CompartmentId" FOREIGN KEY ("CompartmentId") REFERENCES compartments ("Id") ON DELETE RESTRICT
);

CREATE TABLE door_events (
    "BoxId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "CompartmentId" uuid NOT NULL,
    "State" character varying(10) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "ReceivedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_door_events" PRIMARY KEY ("BoxId", "EventId"),
    CONSTRAINT "FK_door_events_boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES boxes ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_door_events_compartments_CompartmentId" FOREIGN KEY ("CompartmentId") REFERENCES compartments ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_audit_entries_At" ON audit_entries ("At");

CREATE INDEX "IX_audit_entries_Subject" ON audit_entries ("Subject");

CREATE INDEX "IX_box_opening_periods_BoxId" ON box_opening_periods ("BoxId");

CREATE UNIQUE INDEX "IX_boxes_BridgeKeyHash" ON boxes ("BridgeKeyHash");

CREATE UNIQUE INDEX "IX_boxes_Code" ON boxes ("Code");

CREATE INDEX "IX_bridge_commands_BoxId_Status_ExpiresAt" ON bridge_commands ("BoxId", "Status", "ExpiresAt");

CREATE INDEX "IX_bridge_commands_CompartmentId" ON bridge_commands ("CompartmentId");

CREATE UNIQUE INDEX "IX_compartments_BoxId_Label" ON compartments ("BoxId", "Label");

CREATE UNIQUE INDEX "IX_compartments_BoxId_Module_Row" ON compartments ("BoxId", "Module", "Row");

CREATE INDEX "IX_door_events_CompartmentId_At" ON door_events ("CompartmentId", "At");
