using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Arbitrations;

/// <summary>Q3: the arbitrator's cases (/arbitrages, S10), through the list's handler, paged: the cases assigned to the user's organisation only.</summary>
public sealed class ArbitrationsExport(GetArbitrations.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "arbitrages";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var total = (await handler.HandleAsync(new GetArbitrations(Take: 1), user, cancellationToken)).Total;
        // The whole list, page by page in the screen's order (never only the screen's page, never all of it in memory).
        return new ExportSource("Arbitrages", ExportCells.FileName(ListKey, clock),
            ["Candidat", "Formation", "Organisme de formation", "Prescripteur", "Demandé par", "Décision contestée", "Le", "État"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(new GetArbitrations(Skip: skip, Take: take), user, ct)).Rows.Select(Cells)]);
    }

    private static IReadOnlyList<string> Cells(GetArbitrations.Row r) =>
    [
        r.CandidateName, r.FicheTitle, r.TrainingBodyName, r.PrescriberOrganisationName, r.OpenedBySide.Label(),
        r.ContestedStatus.Label(), ExportCells.Day(r.OpenedAt), r.Outcome is { } o ? o.Label() : r.Status.Label(),
    ];
}
