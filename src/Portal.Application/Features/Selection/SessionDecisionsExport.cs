using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Selection;

/// <summary>Q3: the decisions screen of a session (S1), through its handler: only the session's OF; another's session is NotFound.</summary>
public sealed class SessionDecisionsExport(GetSessionDecisions.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "session-decisions";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var sessionId = parameters.RequiredGuid("session", "la session");
        var first = await handler.HandleAsync(new GetSessionDecisions(sessionId, Take: 1), user, cancellationToken);
        // Every candidate of the screen, page by page in its order (not only the screen's bounded page).
        return new ExportSource($"Décisions – {first.FicheTitle}", ExportCells.FileName($"session-{ExportCells.Day(first.Start).Replace('/', '-')}-decisions", clock),
            ["Candidat", "Prescripteur", "Choix", "Statut", "Rang en liste d'attente", "Absence justifiée", "Motifs", "Depuis le"], first.Total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(new GetSessionDecisions(sessionId, skip, take), user, ct)).Rows.Select(Cells)]);
    }

    private static IReadOnlyList<string> Cells(GetSessionDecisions.Row r) =>
    [
        r.CandidateName, r.PrescriberOrganisation, $"n° {r.Rank}", r.Status.Label(),
        r.WaitlistRank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", r.AbsenceJustified ? r.AttendanceNote ?? "oui" : "",
        r.DecisionReasons ?? "", ExportCells.Day(r.StatusChangedAt),
    ];
}
