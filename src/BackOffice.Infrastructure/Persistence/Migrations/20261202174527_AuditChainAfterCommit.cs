using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The audit chain moves out of the insert (decision 0024): lines are written without a lock, queued in
    /// audit_chain_pending by a trigger in the writer's transaction, and linked after their commit, in commit order, by
    /// audit_chain_extend() into audit_chain. Both audit_entries and audit_chain stay append-only without exception.
    /// The hash is the one of the Initial migration, so the links copied from the old columns verify unchanged.
    /// </summary>
    public partial class AuditChainAfterCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain", x => x.Sequence);
                    table.ForeignKey(
                        name: "FK_audit_chain_audit_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "audit_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "audit_chain_pending",
                columns: table => new
                {
                    EntryId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_pending", x => x.EntryId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_chain_EntryId",
                table: "audit_chain",
                column: "EntryId",
                unique: true);

            // The chain written so far moves as it is, before the new trigger that would compute it again exists.
            migrationBuilder.Sql("""
                INSERT INTO audit_chain ("Sequence", "EntryId", "PreviousHash", "Hash")
                    SELECT "Sequence", "Id", "PreviousHash", "Hash" FROM audit_entries ORDER BY "Sequence";
                DROP TRIGGER audit_entries_chain ON audit_entries;
                DROP FUNCTION audit_entries_chain();
                """);

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_Sequence",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "audit_entries");

            // Written by hand (EF has no model for functions or triggers).
            migrationBuilder.Sql("""
                -- Names the table it guards, now that it guards two.
                CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
                END $$;

                -- A new line waits in the queue, in its writer's transaction: no lock, nothing shared with other writers.
                CREATE FUNCTION audit_entries_enqueue() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO audit_chain_pending ("EntryId") VALUES (NEW."Id");
                    RETURN NULL;
                END $$;

                CREATE TRIGGER audit_entries_enqueue AFTER INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_enqueue();

                -- A link is computed here, whatever the inserting statement said: only the true next link can be written.
                CREATE FUNCTION audit_chain_link() RETURNS trigger
                LANGUAGE plpgsql AS $$
                DECLARE
                    last_sequence bigint;
                    last_hash text;
                    line audit_entries%ROWTYPE;
                BEGIN
                    -- One linker at a time, across instances; held only for the linker's own short transaction.
                    PERFORM pg_advisory_xact_lock(7311846210455002);
                    SELECT * INTO STRICT line FROM audit_entries WHERE "Id" = NEW."EntryId";
                    SELECT "Sequence", "Hash" INTO last_sequence, last_hash FROM audit_chain ORDER BY "Sequence" DESC LIMIT 1;
                    NEW."Sequence" := coalesce(last_sequence, 0) + 1;
                    NEW."PreviousHash" := coalesce(last_hash, '');
                    NEW."Hash" := audit_entry_hash(NEW."PreviousHash", NEW."Sequence", line."At", line."Actor", line."Action",
                                                   line."Subject", line."Outcome", line."Details");
                    RETURN NEW;
                END $$;

                CREATE TRIGGER audit_chain_link BEFORE INSERT ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_chain_link();
                CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain
                    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
                CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

                -- Links up to max_lines committed lines, oldest first, and returns how many. Lines committed while it
                -- runs wait for the next call; a line committed later than a younger one is linked after it.
                CREATE FUNCTION audit_chain_extend(max_lines integer) RETURNS integer
                LANGUAGE plpgsql AS $$
                DECLARE
                    pending bigint;
                    linked integer := 0;
                BEGIN
                    PERFORM pg_advisory_xact_lock(7311846210455002);
                    FOR pending IN SELECT "EntryId" FROM audit_chain_pending ORDER BY "EntryId" LIMIT max_lines LOOP
                        INSERT INTO audit_chain ("Sequence", "EntryId", "PreviousHash", "Hash") VALUES (0, pending, '', '');
                        DELETE FROM audit_chain_pending WHERE "EntryId" = pending;
                        linked := linked + 1;
                    END LOOP;
                    RETURN linked;
                END $$;

                -- Lines written before this migration are linked already; any written since the copy above wait.
                INSERT INTO audit_chain_pending ("EntryId")
                    SELECT "Id" FROM audit_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_chain l WHERE l."EntryId" = e."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Waiting lines are linked first, then the chain goes back into the lines' own columns.
            migrationBuilder.Sql("""
                SELECT audit_chain_extend(2147483647);
                DROP TRIGGER audit_chain_no_truncate ON audit_chain;
                DROP TRIGGER audit_chain_no_change ON audit_chain;
                DROP TRIGGER audit_chain_link ON audit_chain;
                DROP TRIGGER audit_entries_enqueue ON audit_entries;
                DROP FUNCTION audit_chain_extend(integer);
                DROP FUNCTION audit_chain_link();
                DROP FUNCTION audit_entries_enqueue();
                """);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "audit_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "audit_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "audit_entries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql("""
                ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change;
                UPDATE audit_entries e SET "Sequence" = l."Sequence", "PreviousHash" = l."PreviousHash", "Hash" = l."Hash"
                    FROM audit_chain l WHERE l."EntryId" = e."Id";
                ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change;

                CREATE FUNCTION audit_entries_chain() RETURNS trigger
                LANGUAGE plpgsql AS $$
                DECLARE
                    last_sequence bigint;
                    last_hash text;
                BEGIN
                    PERFORM pg_advisory_xact_lock(7311846210455002);
                    SELECT "Sequence", "Hash" INTO last_sequence, last_hash FROM audit_entries ORDER BY "Sequence" DESC LIMIT 1;
                    NEW."Sequence" := coalesce(last_sequence, 0) + 1;
                    NEW."PreviousHash" := coalesce(last_hash, '');
                    NEW."Hash" := audit_entry_hash(NEW."PreviousHash", NEW."Sequence", NEW."At", NEW."Actor", NEW."Action", NEW."Subject",
                                                   NEW."Outcome", NEW."Details");
                    RETURN NEW;
                END $$;

                CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_chain();
                """);

            migrationBuilder.DropTable(
                name: "audit_chain");

            migrationBuilder.DropTable(
                name: "audit_chain_pending");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Sequence",
                table: "audit_entries",
                column: "Sequence",
                unique: true);
        }
    }
}
