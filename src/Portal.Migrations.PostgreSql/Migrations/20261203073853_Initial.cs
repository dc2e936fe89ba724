using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Communes",
                columns: table => new
                {
                    InseeCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DepartementCode = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    DepartementName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PostalCodes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Population = table.Column<int>(type: "integer", nullable: false),
                    Latitude = table.Column<double>(type: "double precision", nullable: false),
                    Longitude = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Communes", x => x.InseeCode);
                });

            migrationBuilder.CreateTable(
                name: "EosImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ImportedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ImportedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    MatchedCount = table.Column<int>(type: "integer", nullable: false),
                    AnomalyCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EosImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExportRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ListKey = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    ParametersJson = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Format = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    RowsWritten = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: false),
                    FileKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    FileSize = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictApplications",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    ApplicationType = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ClientId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ClientSecret = table.Column<string>(type: "text", nullable: true),
                    ClientType = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ConsentType = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    DisplayNames = table.Column<string>(type: "text", nullable: true),
                    JsonWebKeySet = table.Column<string>(type: "text", nullable: true),
                    Permissions = table.Column<string>(type: "text", nullable: true),
                    PostLogoutRedirectUris = table.Column<string>(type: "text", nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    RedirectUris = table.Column<string>(type: "text", nullable: true),
                    Requirements = table.Column<string>(type: "text", nullable: true),
                    Settings = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictApplications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictScopes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    ConcurrencyToken = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Descriptions = table.Column<string>(type: "text", nullable: true),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    DisplayNames = table.Column<string>(type: "text", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    Resources = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictScopes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxWatermarks",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxWatermarks", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "QualityThresholds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    IndicatorKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityThresholds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RomeCodes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Label = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RomeCodes", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "SensitiveReads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    Field = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SensitiveReads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Territories",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    DepartementCode = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    ParentId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Territories", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    GivenName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FamilyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    EmailNotifications = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedReason = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EosAnomalies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: true),
                    CandidateName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    FranceTravailId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    SessionReference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TrainingTitle = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    EosEntryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PortalEntryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PrescriptionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EosAnomalies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EosAnomalies_EosImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "EosImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictAuthorizations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    ApplicationId = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    CreationDate = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    Scopes = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Subject = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictAuthorizations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpenIddictAuthorizations_OpenIddictApplications_Application~",
                        column: x => x.ApplicationId,
                        principalTable: "OpenIddictApplications",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "OrderLots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    TerritoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Volume = table.Column<int>(type: "integer", nullable: false),
                    TenderDeadline = table.Column<DateOnly>(type: "date", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    AwardedOrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    AwardedFicheActionId = table.Column<Guid>(type: "uuid", nullable: true),
                    AwardNotifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLots_Territories_TerritoryId",
                        column: x => x.TerritoryId,
                        principalTable: "Territories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Organisations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    TerritoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Siret = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    Habilitation = table.Column<int>(type: "integer", nullable: false),
                    Address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CommuneInsee = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    HabilitatedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    HabilitationReference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DelegateUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Organisations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Organisations_Territories_TerritoryId",
                        column: x => x.TerritoryId,
                        principalTable: "Territories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Organisations_Users_DelegateUserId",
                        column: x => x.DelegateUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictTokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    ApplicationId = table.Column<string>(type: "text", nullable: true),
                    AuthorizationId = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    CreationDate = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ExpirationDate = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Payload = table.Column<string>(type: "text", nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    RedemptionDate = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReferenceId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Subject = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Type = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "OpenIddictApplications",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId",
                        column: x => x.AuthorizationId,
                        principalTable: "OpenIddictAuthorizations",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "TenderDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LotId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenderDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TenderDocuments_OrderLots_LotId",
                        column: x => x.LotId,
                        principalTable: "OrderLots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Candidates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferentUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Phone = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    CommuneInsee = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    FranceTravailId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    EducationLevel = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Rqth = table.Column<bool>(type: "boolean", nullable: false),
                    Qpv = table.Column<bool>(type: "boolean", nullable: false),
                    Rural = table.Column<bool>(type: "boolean", nullable: false),
                    MinimumSocialBenefits = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastActivityAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IsPseudonymised = table.Column<bool>(type: "boolean", nullable: false),
                    ChoicesVersion = table.Column<int>(type: "integer", nullable: false),
                    ProjectRomeCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Candidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Candidates_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FicheActions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Objectives = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Content = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Prerequisites = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    AdmissionConditions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    SelectionModalities = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    JobProspects = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    FollowOnPaths = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    SelectionCriteria = table.Column<List<string>>(type: "text[]", nullable: false),
                    RomeCodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    CertificationRncp = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CertificationLevel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ExpectedResults = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    TargetPublic = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Accessibility = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    ContactName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContactEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    ContactPhone = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    TrainingPlaces = table.Column<List<string>>(type: "text[]", nullable: false),
                    ExternalReference = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    SearchText = table.Column<string>(type: "character varying(24300)", maxLength: 24300, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EntryMode = table.Column<int>(type: "integer", nullable: false),
                    HoursInCentre = table.Column<int>(type: "integer", nullable: false),
                    HoursInCompany = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    RegionComment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ValidatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FicheActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FicheActions_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Memberships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Memberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Memberships_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Memberships_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MfeCoverages",
                columns: table => new
                {
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    DepartementCode = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MfeCoverages", x => new { x.OrganisationId, x.DepartementCode });
                    table.ForeignKey(
                        name: "FK_MfeCoverages_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrganisationHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ByName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    From = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    To = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganisationHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrganisationHistory_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QualityAlerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    IndicatorKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: true),
                    Threshold = table.Column<double>(type: "double precision", nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ForwardedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ForwardedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    ForwardComment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityAlerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityAlerts_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CandidateLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CandidateLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CandidateLinks_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FicheActionVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FicheActionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Snapshot = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FicheActionVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FicheActionVersions_FicheActions_FicheActionId",
                        column: x => x.FicheActionId,
                        principalTable: "FicheActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FicheActionId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntryMode = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    RegistrationDeadline = table.Column<DateOnly>(type: "date", nullable: false),
                    LateEntryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    OpenPlaces = table.Column<int>(type: "integer", nullable: false),
                    KeptBackPlaces = table.Column<int>(type: "integer", nullable: false),
                    PlaceCommuneInsee = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    ExternalReference = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    CancellationReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Sessions_FicheActions_FicheActionId",
                        column: x => x.FicheActionId,
                        principalTable: "FicheActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Sessions_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InfoSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    WhatToBring = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InfoSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InfoSessions_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OfflineEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    TrainingBodyId = table.Column<Guid>(type: "uuid", nullable: false),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    FranceTravailId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    SourceDetail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EntryDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OfflineEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OfflineEntries_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionCommissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Members = table.Column<List<string>>(type: "text[]", nullable: false),
                    MeetsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    OutcomeRecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionCommissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionCommissions_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConvocationWarnings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InfoSessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    TrainingBodyId = table.Column<Guid>(type: "uuid", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConvocationWarnings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConvocationWarnings_InfoSessions_InfoSessionId",
                        column: x => x.InfoSessionId,
                        principalTable: "InfoSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Prescriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    TrainingBodyId = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriberOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriberUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Rank = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConvokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionReasons = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    ConvokedInfoSessionId = table.Column<Guid>(type: "uuid", nullable: true),
                    AbsenceJustification = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ConvokedLate = table.Column<bool>(type: "boolean", nullable: false),
                    OfferDeadline = table.Column<DateOnly>(type: "date", nullable: true),
                    CandidateExplanation = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    PrescriberExplanation = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WaitlistRank = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    EverSelected = table.Column<bool>(type: "boolean", nullable: false),
                    Explained = table.Column<bool>(type: "boolean", nullable: false),
                    FirstDecisionAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FormComplete = table.Column<bool>(type: "boolean", nullable: false),
                    JourneyBand = table.Column<int>(type: "integer", nullable: false),
                    JourneyKm = table.Column<double>(type: "double precision", nullable: true),
                    ObsBirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ObsPlaceDepartement = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    ObsProjectRome = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    ObsResidenceDepartement = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    ObsSituation = table.Column<int>(type: "integer", nullable: false),
                    ProjectMatchesAction = table.Column<bool>(type: "boolean", nullable: false),
                    ReasonKinds = table.Column<int>(type: "integer", nullable: false),
                    Barriers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CandidateAgreement = table.Column<bool>(type: "boolean", nullable: false),
                    CriteriaReviewed = table.Column<bool>(type: "boolean", nullable: false),
                    Feasibility = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    MaterialConditions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Motivations = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    PriorPath = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    ProjectValidation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RqthDeclared = table.Column<bool>(type: "boolean", nullable: true),
                    NonSelectionReasons = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Prescriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Prescriptions_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Prescriptions_InfoSessions_ConvokedInfoSessionId",
                        column: x => x.ConvokedInfoSessionId,
                        principalTable: "InfoSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Prescriptions_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Arbitrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContestedStatus = table.Column<int>(type: "integer", nullable: false),
                    OpenedBySide = table.Column<int>(type: "integer", nullable: false),
                    OpenedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AssignedOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriberArgument = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    TrainingBodyArgument = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: true),
                    NewDecision = table.Column<int>(type: "integer", nullable: true),
                    OutcomeText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Arbitrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Arbitrations_Organisations_AssignedOrganisationId",
                        column: x => x.AssignedOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Arbitrations_Prescriptions_PrescriptionId",
                        column: x => x.PrescriptionId,
                        principalTable: "Prescriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ComplementThreads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FragilePublic = table.Column<bool>(type: "boolean", nullable: false),
                    FirstAnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplementThreads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComplementThreads_Prescriptions_PrescriptionId",
                        column: x => x.PrescriptionId,
                        principalTable: "Prescriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PrescriptionTransitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PrescriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    From = table.Column<int>(type: "integer", nullable: true),
                    To = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PrescriptionTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PrescriptionTransitions_Prescriptions_PrescriptionId",
                        column: x => x.PrescriptionId,
                        principalTable: "Prescriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ComplementMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ThreadId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Side = table.Column<int>(type: "integer", nullable: false),
                    Body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplementMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComplementMessages_ComplementThreads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "ComplementThreads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PrescriptionAttachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PrescriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UploadedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ComplementMessageId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PrescriptionAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PrescriptionAttachments_ComplementMessages_ComplementMessag~",
                        column: x => x.ComplementMessageId,
                        principalTable: "ComplementMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PrescriptionAttachments_Prescriptions_PrescriptionId",
                        column: x => x.PrescriptionId,
                        principalTable: "Prescriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_AssignedOrganisationId_Status_OpenedAt",
                table: "Arbitrations",
                columns: new[] { "AssignedOrganisationId", "Status", "OpenedAt" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "IX_Arbitrations_OneOpenPerPrescription",
                table: "Arbitrations",
                column: "PrescriptionId",
                unique: true,
                filter: "\"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_CandidateLinks_CandidateId_CreatedAt",
                table: "CandidateLinks",
                columns: new[] { "CandidateId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CandidateLinks_TokenHash",
                table: "CandidateLinks",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_OrganisationId_LastName_FirstName",
                table: "Candidates",
                columns: new[] { "OrganisationId", "LastName", "FirstName" });

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_ReferentUserId_LastName_FirstName",
                table: "Candidates",
                columns: new[] { "ReferentUserId", "LastName", "FirstName" });

            migrationBuilder.CreateIndex(
                name: "IX_Communes_DepartementCode",
                table: "Communes",
                column: "DepartementCode");

            migrationBuilder.CreateIndex(
                name: "IX_Communes_Latitude_Longitude",
                table: "Communes",
                columns: new[] { "Latitude", "Longitude" });

            migrationBuilder.CreateIndex(
                name: "IX_Communes_Name",
                table: "Communes",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_ComplementMessages_ThreadId_At",
                table: "ComplementMessages",
                columns: new[] { "ThreadId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ComplementThreads_PrescriptionId",
                table: "ComplementThreads",
                column: "PrescriptionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_InfoSessionId",
                table: "ConvocationWarnings",
                column: "InfoSessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_RaisedAt",
                table: "ConvocationWarnings",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConvocationWarnings_TrainingBodyId_ResolvedAt",
                table: "ConvocationWarnings",
                columns: new[] { "TrainingBodyId", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EosAnomalies_ImportId_Kind_Line_Id",
                table: "EosAnomalies",
                columns: new[] { "ImportId", "Kind", "Line", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EosImports_ImportedAt",
                table: "EosImports",
                column: "ImportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ExportRequests_ExpiresAt",
                table: "ExportRequests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ExportRequests_RequestedBy_CreatedAt",
                table: "ExportRequests",
                columns: new[] { "RequestedBy", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_ExternalReference",
                table: "FicheActions",
                column: "ExternalReference");

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_OrganisationId_Status_UpdatedAt",
                table: "FicheActions",
                columns: new[] { "OrganisationId", "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActions_Status_SubmittedAt",
                table: "FicheActions",
                columns: new[] { "Status", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FicheActionVersions_FicheActionId_Number",
                table: "FicheActionVersions",
                columns: new[] { "FicheActionId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InfoSessions_SessionId_StartsAt",
                table: "InfoSessions",
                columns: new[] { "SessionId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InfoSessions_StartsAt",
                table: "InfoSessions",
                column: "StartsAt");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_OrganisationId",
                table: "Memberships",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_UserId_OrganisationId_Role",
                table: "Memberships",
                columns: new[] { "UserId", "OrganisationId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MfeCoverages_DepartementCode",
                table: "MfeCoverages",
                column: "DepartementCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OfflineEntries_SessionId_EntryDate",
                table: "OfflineEntries",
                columns: new[] { "SessionId", "EntryDate" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictApplications_ClientId",
                table: "OpenIddictApplications",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type",
                table: "OpenIddictAuthorizations",
                columns: new[] { "ApplicationId", "Status", "Subject", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictScopes_Name",
                table: "OpenIddictScopes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type",
                table: "OpenIddictTokens",
                columns: new[] { "ApplicationId", "Status", "Subject", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_AuthorizationId",
                table: "OpenIddictTokens",
                column: "AuthorizationId");

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_ReferenceId",
                table: "OpenIddictTokens",
                column: "ReferenceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderLots_Status_TenderDeadline",
                table: "OrderLots",
                columns: new[] { "Status", "TenderDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderLots_TerritoryId",
                table: "OrderLots",
                column: "TerritoryId");

            migrationBuilder.CreateIndex(
                name: "IX_OrganisationHistory_OrganisationId_Id",
                table: "OrganisationHistory",
                columns: new[] { "OrganisationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_DelegateUserId",
                table: "Organisations",
                column: "DelegateUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Habilitation_Kind",
                table: "Organisations",
                columns: new[] { "Habilitation", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Kind_TerritoryId",
                table: "Organisations",
                columns: new[] { "Kind", "TerritoryId" });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Name",
                table: "Organisations",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Siret",
                table: "Organisations",
                column: "Siret");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_TerritoryId",
                table: "Organisations",
                column: "TerritoryId");

            migrationBuilder.CreateIndex(
                name: "IX_PrescriptionAttachments_ComplementMessageId",
                table: "PrescriptionAttachments",
                column: "ComplementMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_PrescriptionAttachments_PrescriptionId",
                table: "PrescriptionAttachments",
                column: "PrescriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_AccessObservatory",
                table: "Prescriptions",
                columns: new[] { "ObsSituation", "ObsResidenceDepartement", "JourneyBand", "CreatedAt", "ObsBirthDate", "EverSelected", "Status", "JourneyKm", "TrainingBodyId", "ObsPlaceDepartement" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_CandidateId_Status",
                table: "Prescriptions",
                columns: new[] { "CandidateId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_ConvokedInfoSessionId_Status",
                table: "Prescriptions",
                columns: new[] { "ConvokedInfoSessionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_CreatedAt",
                table: "Prescriptions",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_NeedsObservatory",
                table: "Prescriptions",
                columns: new[] { "ObsProjectRome", "CreatedAt", "TrainingBodyId", "ObsPlaceDepartement", "CandidateId", "ProjectMatchesAction" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_OfferDeadline",
                table: "Prescriptions",
                column: "OfferDeadline",
                filter: "\"OfferDeadline\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_PrescriberOrganisationId_Status",
                table: "Prescriptions",
                columns: new[] { "PrescriberOrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_QualityObservatory",
                table: "Prescriptions",
                columns: new[] { "TrainingBodyId", "PrescriberOrganisationId", "CreatedAt", "Status", "ConvokedAt", "ConvokedInfoSessionId", "ConvokedLate", "FirstDecisionAt", "FormComplete", "Explained" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_ReasonsObservatory",
                table: "Prescriptions",
                columns: new[] { "Status", "CreatedAt", "TrainingBodyId", "SessionId", "ReasonKinds", "ObsPlaceDepartement" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_SessionId_CreatedAt_Id",
                table: "Prescriptions",
                columns: new[] { "SessionId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_SessionId_Status_CreatedAt",
                table: "Prescriptions",
                columns: new[] { "SessionId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Prescriptions_TrainingBodyId_Status",
                table: "Prescriptions",
                columns: new[] { "TrainingBodyId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PrescriptionTransitions_PrescriptionId_At",
                table: "PrescriptionTransitions",
                columns: new[] { "PrescriptionId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PrescriptionTransitions_To_At",
                table: "PrescriptionTransitions",
                columns: new[] { "To", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_Kind_OrganisationId_IndicatorKey",
                table: "QualityAlerts",
                columns: new[] { "Kind", "OrganisationId", "IndicatorKey" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_OrganisationId_ResolvedAt_RaisedAt",
                table: "QualityAlerts",
                columns: new[] { "OrganisationId", "ResolvedAt", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityAlerts_RaisedAt",
                table: "QualityAlerts",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_QualityThresholds_IndicatorKey",
                table: "QualityThresholds",
                column: "IndicatorKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SelectionCommissions_SessionId",
                table: "SelectionCommissions",
                column: "SessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SensitiveReads_At",
                table: "SensitiveReads",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SensitiveReads_CandidateId_At",
                table: "SensitiveReads",
                columns: new[] { "CandidateId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ExternalReference",
                table: "Sessions",
                column: "ExternalReference");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_FicheActionId",
                table: "Sessions",
                column: "FicheActionId");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganisationId_Start",
                table: "Sessions",
                columns: new[] { "OrganisationId", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_PlaceCommuneInsee",
                table: "Sessions",
                column: "PlaceCommuneInsee");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_Status_RegistrationDeadline",
                table: "Sessions",
                columns: new[] { "Status", "RegistrationDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_Status_Start",
                table: "Sessions",
                columns: new[] { "Status", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_TenderDocuments_LotId",
                table: "TenderDocuments",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_Territories_Code",
                table: "Territories",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_Email",
                table: "Users",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_Subject",
                table: "Users",
                column: "Subject",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_ExpiresAt",
                table: "UserSessions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_UserId",
                table: "UserSessions",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Arbitrations");

            migrationBuilder.DropTable(
                name: "CandidateLinks");

            migrationBuilder.DropTable(
                name: "Communes");

            migrationBuilder.DropTable(
                name: "ConvocationWarnings");

            migrationBuilder.DropTable(
                name: "EosAnomalies");

            migrationBuilder.DropTable(
                name: "ExportRequests");

            migrationBuilder.DropTable(
                name: "FicheActionVersions");

            migrationBuilder.DropTable(
                name: "Memberships");

            migrationBuilder.DropTable(
                name: "MfeCoverages");

            migrationBuilder.DropTable(
                name: "OfflineEntries");

            migrationBuilder.DropTable(
                name: "OpenIddictScopes");

            migrationBuilder.DropTable(
                name: "OpenIddictTokens");

            migrationBuilder.DropTable(
                name: "OrganisationHistory");

            migrationBuilder.DropTable(
                name: "OutboxWatermarks");

            migrationBuilder.DropTable(
                name: "PrescriptionAttachments");

            migrationBuilder.DropTable(
                name: "PrescriptionTransitions");

            migrationBuilder.DropTable(
                name: "QualityAlerts");

            migrationBuilder.DropTable(
                name: "QualityThresholds");

            migrationBuilder.DropTable(
                name: "RomeCodes");

            migrationBuilder.DropTable(
                name: "SelectionCommissions");

            migrationBuilder.DropTable(
                name: "SensitiveReads");

            migrationBuilder.DropTable(
                name: "TenderDocuments");

            migrationBuilder.DropTable(
                name: "UserSessions");

            migrationBuilder.DropTable(
                name: "EosImports");

            migrationBuilder.DropTable(
                name: "OpenIddictAuthorizations");

            migrationBuilder.DropTable(
                name: "ComplementMessages");

            migrationBuilder.DropTable(
                name: "OrderLots");

            migrationBuilder.DropTable(
                name: "OpenIddictApplications");

            migrationBuilder.DropTable(
                name: "ComplementThreads");

            migrationBuilder.DropTable(
                name: "Prescriptions");

            migrationBuilder.DropTable(
                name: "Candidates");

            migrationBuilder.DropTable(
                name: "InfoSessions");

            migrationBuilder.DropTable(
                name: "Sessions");

            migrationBuilder.DropTable(
                name: "FicheActions");

            migrationBuilder.DropTable(
                name: "Organisations");

            migrationBuilder.DropTable(
                name: "Territories");

            migrationBuilder.DropTable(
                name: "Users");
        }
    }
}
