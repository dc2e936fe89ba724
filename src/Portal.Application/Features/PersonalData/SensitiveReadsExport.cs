using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.PersonalData;

/// <summary>Issue #14 (4): the RQTH reads journal as filtered on screen, page by page, for its readers only.</summary>
public sealed class SensitiveReadsExport(GetSensitiveReads.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "journal-rqth";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var filter = new GetSensitiveReads(parameters.Text("q"), Day(parameters.Text("du")), Day(parameters.Text("au")));
        var total = (await handler.HandleAsync(filter with { Take = 1 }, user, cancellationToken)).Total;
        return new ExportSource("Journal des consultations RQTH", ExportCells.FileName(ListKey, clock),
            ["Consulté le", "Par", "E-mail", "Candidat", "Donnée"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(filter with { Skip = skip, Take = take }, user, ct)).Rows
                .Select(r => (IReadOnlyList<string>)[
                    FrenchTime.ToFrance(r.At).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture), r.Reader, r.ReaderEmail, r.Candidate, r.Field,
                ])]);
    }

    /// <summary>A day written yyyy-MM-dd (the screen's filter); anything else is a French refusal, never a 500.</summary>
    public static DateOnly? Day(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day
        : throw new DomainException($"Date invalide : « {text} » (attendu AAAA-MM-JJ).");
}
