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
        var result = await handler.HandleAsync(new GetSessionDecisions(sessionId), user, cancellationToken);
        return ExportSource.FromRows($"Décisions – {result.FicheTitle}", ExportCells.FileName($"session-{ExportCells.Day(result.Start).Replace('/', '-')}-decisions", clock),
            ["Candidat", "Prescripteur", "Choix", "Statut", "Rang en liste d'attente", "Absence justifiée", "Motifs", "Depuis le"],
            [.. result.Rows.Select(r => (IReadOnlyList<string>)[
                r.CandidateName, r.PrescriberOrganisation, $"n° {r.Rank}", r.Status.Label(),
                r.WaitlistRank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", r.AbsenceJustified ? r.AttendanceNote ?? "oui" : "",
                r.DecisionReasons ?? "", ExportCells.Day(r.StatusChangedAt),
            ])]);
    }
}
