using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Arbitrations;

/// <summary>Q3: the arbitrator's cases (/arbitrages, S10), through the list's handler: the cases assigned to the user's organisation only.</summary>
public sealed class ArbitrationsExport(GetArbitrations.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "arbitrages";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var rows = await handler.HandleAsync(new GetArbitrations(), user, cancellationToken);
        return ExportSource.FromRows("Arbitrages", ExportCells.FileName(ListKey, clock),
            ["Candidat", "Formation", "Organisme de formation", "Prescripteur", "Demandé par", "Décision contestée", "Le", "État"],
            [.. rows.Select(r => (IReadOnlyList<string>)[
                r.CandidateName, r.FicheTitle, r.TrainingBodyName, r.PrescriberOrganisationName, r.OpenedBySide.Label(),
                r.ContestedStatus.Label(), ExportCells.Day(r.OpenedAt), r.Outcome is { } o ? o.Label() : r.Status.Label(),
            ])]);
    }
}
