using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CounterProxyAuthorizationAndExtension : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuthorizationProof",
                table: "documents",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AuthorizedAt",
                table: "documents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorizedDateOfBirth",
                table: "documents",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorizedMobileNumber",
                table: "documents",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorizedMobileNumberHash",
                table: "documents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorizedName",
                table: "documents",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeadlineExtensions",
                table: "documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "PickedUpByAuthorizedPerson",
                table: "documents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_documents_AuthorizedMobileNumberHash",
                table: "documents",
                column: "AuthorizedMobileNumberHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_documents_AuthorizedMobileNumberHash",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizationProof",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizedAt",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizedDateOfBirth",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizedMobileNumber",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizedMobileNumberHash",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "AuthorizedName",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "DeadlineExtensions",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "PickedUpByAuthorizedPerson",
                table: "documents");
        }
    }
}
