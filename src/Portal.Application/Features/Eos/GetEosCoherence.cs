using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Eos;

namespace Portal.Application.Features.Eos;

/// <summary>
/// S11: an EOS import (the last one when no id is given) and one page of its anomalies, for the Région's screen.
/// Paged, filtered and counted in SQL (index EosAnomalies(ImportId, Kind, Line, Id)): a real-size import holds
/// 100,000 anomalies and the screen keeps only the page it shows.
/// </summary>
public sealed record GetEosCoherence(Guid? ImportId = null, EosAnomalyKind? Kind = null, int Skip = 0, int Take = GetEosCoherence.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    public sealed record ImportSummary(Guid Id, string FileName, string ImportedBy, DateTimeOffset ImportedAt, int Lines, int Matched, int Anomalies);

    public sealed record Anomaly(EosAnomalyKind Kind, int? Line, string CandidateName, string? FranceTravailId, DateOnly? BirthDate,
        string SessionReference, string? TrainingTitle, DateOnly? EosEntryDate, DateOnly? PortalEntryDate, Guid? PrescriptionId);

    /// <summary>
    /// Null import: nothing imported yet. <see cref="Anomalies"/> is the requested page, <see cref="Total"/> the number of
    /// anomalies under the filter, <see cref="CountsByKind"/> the import's anomalies per kind (the filter's chips).
    /// </summary>
    public sealed record Result(ImportSummary? Import, IReadOnlyList<Anomaly> Anomalies, int Total, IReadOnlyDictionary<EosAnomalyKind, int> CountsByKind)
    {
        public int CountOf(EosAnomalyKind kind) => CountsByKind.GetValueOrDefault(kind);
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetEosCoherence query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EosAccess.Require(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var import = await FindImportAsync(db, query.ImportId, cancellationToken);
            if (import is null)
                return query.ImportId is null ? new Result(null, [], 0, new Dictionary<EosAnomalyKind, int>()) : throw new NotFoundException("Import EOS introuvable.");
            var counts = await db.AllEosAnomalies.AsNoTracking().Where(a => a.ImportId == import.Id)
                .GroupBy(a => a.Kind).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            var total = query.Kind is { } kind ? counts.GetValueOrDefault(kind) : counts.Values.Sum();
            var page = await Ordered(db, import.Id, query.Kind)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .ToListAsync(cancellationToken);
            return new Result(import, page, total, counts);
        }

        /// <summary>Every anomaly of an import under the filter, streamed from the database in the screen's order (the CSV export).</summary>
        internal async IAsyncEnumerable<Anomaly> StreamAsync(Guid importId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            await foreach (var anomaly in Ordered(db, importId, null).AsAsyncEnumerable().WithCancellation(cancellationToken))
                yield return anomaly;
        }

        internal static async Task<ImportSummary?> FindImportAsync(IAppDbContext db, Guid? importId, CancellationToken cancellationToken)
        {
            var imports = db.AllEosImports.AsNoTracking();
            return await (importId is { } id ? imports.Where(i => i.Id == id) : imports.OrderByDescending(i => i.ImportedAt))
                .Select(i => new ImportSummary(i.Id, i.FileName, i.ImportedByName, i.ImportedAt, i.LineCount, i.MatchedCount, i.AnomalyCount))
                .FirstOrDefaultAsync(cancellationToken);
        }

        private static IQueryable<Anomaly> Ordered(IAppDbContext db, Guid importId, EosAnomalyKind? kind)
        {
            var anomalies = db.AllEosAnomalies.AsNoTracking().Where(a => a.ImportId == importId);
            if (kind is { } k) anomalies = anomalies.Where(a => a.Kind == k);
            return anomalies.OrderBy(a => a.Kind).ThenBy(a => a.Line).ThenBy(a => a.Id)
                .Select(a => new Anomaly(a.Kind, a.Line, a.CandidateName, a.FranceTravailId, a.BirthDate, a.SessionReference, a.TrainingTitle,
                    a.EosEntryDate, a.PortalEntryDate, a.PrescriptionId));
        }
    }
}

/// <summary>
/// S11: the anomalies of an EOS import as a CSV file (`;`, UTF-8 with BOM: opens as is in a French Excel). The import
/// and the user's rights are checked first (NotFound, AccessDenied before anything is sent); the rows are then streamed
/// from the database to the response, never held whole in memory.
/// </summary>
public sealed record ExportEosAnomalies(Guid ImportId)
{
    public sealed record Download(string FileName, Func<Stream, CancellationToken, Task> WriteAsync);

    public sealed class Handler(GetEosCoherence.Handler reader, IAppDbContextFactory dbFactory)
    {
        public async Task<Download> HandleAsync(ExportEosAnomalies query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EosAccess.Require(user);
            GetEosCoherence.ImportSummary import;
            await using (var db = await dbFactory.CreateAsync(cancellationToken))
                import = await GetEosCoherence.Handler.FindImportAsync(db, query.ImportId, cancellationToken) ?? throw new NotFoundException("Import EOS introuvable.");
            var stamp = FrenchTime.ToFrance(import.ImportedAt).ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture);
            return new Download($"anomalies-eos-{stamp}.csv", (target, ct) => WriteAsync(import.Id, target, ct));
        }

        private async Task WriteAsync(Guid importId, Stream target, CancellationToken cancellationToken)
        {
            await using var csv = new StreamWriter(target, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true) { NewLine = "\r\n" };
            await csv.WriteLineAsync("type_anomalie;ligne_eos;nom_prenom;identifiant_france_travail;date_naissance;numero_session;formation;date_entree_eos;date_entree_portail;prescription");
            await foreach (var a in reader.StreamAsync(importId, cancellationToken))
            {
                string[] fields =
                [
                    a.Kind.Label(), a.Line?.ToString(CultureInfo.InvariantCulture) ?? "", a.CandidateName, a.FranceTravailId ?? "", Date(a.BirthDate),
                    a.SessionReference, a.TrainingTitle ?? "", Date(a.EosEntryDate), Date(a.PortalEntryDate), a.PrescriptionId?.ToString() ?? "",
                ];
                await csv.WriteLineAsync(string.Join(';', fields.Select(Quote)));
            }
            await csv.FlushAsync(cancellationToken);
        }

        private static string Date(DateOnly? date) => date?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "";

        /// <summary>RFC 4180 quoting; a leading =, +, - or @ is neutralised (no formula injection in a spreadsheet).</summary>
        private static string Quote(string value)
        {
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
            return value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
        }
    }
}
