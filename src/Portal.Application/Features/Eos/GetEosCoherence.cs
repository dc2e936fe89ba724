using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Eos;

namespace Portal.Application.Features.Eos;

/// <summary>S11: an EOS import (the last one when no id is given) and its anomalies, for the Région's screen.</summary>
public sealed record GetEosCoherence(Guid? ImportId = null)
{
    public sealed record ImportSummary(Guid Id, string FileName, string ImportedBy, DateTimeOffset ImportedAt, int Lines, int Matched, int Anomalies);

    public sealed record Anomaly(EosAnomalyKind Kind, int? Line, string CandidateName, string? FranceTravailId, DateOnly? BirthDate,
        string SessionReference, string? TrainingTitle, DateOnly? EosEntryDate, DateOnly? PortalEntryDate, Guid? PrescriptionId);

    /// <summary>Null import: nothing imported yet.</summary>
    public sealed record Result(ImportSummary? Import, IReadOnlyList<Anomaly> Anomalies);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetEosCoherence query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EosAccess.Require(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var imports = db.EosImports.AsNoTracking();
            var import = await (query.ImportId is { } id ? imports.Where(i => i.Id == id) : imports.OrderByDescending(i => i.ImportedAt))
                .Select(i => new ImportSummary(i.Id, i.FileName, i.ImportedByName, i.ImportedAt, i.LineCount, i.MatchedCount, i.AnomalyCount))
                .FirstOrDefaultAsync(cancellationToken);
            if (import is null)
                return query.ImportId is null ? new Result(null, []) : throw new NotFoundException("Import EOS introuvable.");
            var anomalies = await db.EosAnomalies.AsNoTracking().Where(a => a.ImportId == import.Id)
                .OrderBy(a => a.Kind).ThenBy(a => a.Line).ThenBy(a => a.Id)
                .Select(a => new Anomaly(a.Kind, a.Line, a.CandidateName, a.FranceTravailId, a.BirthDate, a.SessionReference, a.TrainingTitle,
                    a.EosEntryDate, a.PortalEntryDate, a.PrescriptionId))
                .ToListAsync(cancellationToken);
            return new Result(import, anomalies);
        }
    }
}

/// <summary>S11: the anomalies of an EOS import as a CSV file (`;`, UTF-8 with BOM: opens as is in a French Excel).</summary>
public sealed record ExportEosAnomalies(Guid ImportId)
{
    public sealed record File(string FileName, byte[] Content);

    public sealed class Handler(GetEosCoherence.Handler reader)
    {
        public async Task<File> HandleAsync(ExportEosAnomalies query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            var result = await reader.HandleAsync(new GetEosCoherence(query.ImportId), user, cancellationToken);
            var csv = new StringBuilder();
            csv.Append("type_anomalie;ligne_eos;nom_prenom;identifiant_france_travail;date_naissance;numero_session;formation;date_entree_eos;date_entree_portail;prescription\r\n");
            foreach (var a in result.Anomalies)
            {
                string[] fields =
                [
                    a.Kind.Label(), a.Line?.ToString(CultureInfo.InvariantCulture) ?? "", a.CandidateName, a.FranceTravailId ?? "", Date(a.BirthDate),
                    a.SessionReference, a.TrainingTitle ?? "", Date(a.EosEntryDate), Date(a.PortalEntryDate), a.PrescriptionId?.ToString() ?? "",
                ];
                csv.Append(string.Join(';', fields.Select(Quote))).Append("\r\n");
            }
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
            var stamp = FrenchTime.ToFrance(result.Import!.ImportedAt).ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture);
            return new File($"anomalies-eos-{stamp}.csv", bytes);
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
