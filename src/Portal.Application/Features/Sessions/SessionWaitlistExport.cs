using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Sessions;

/// <summary>Q3: a session's prescriptions in O9 order (the OF's /sessions/{id}), through the screen's handler: another OF's session is NotFound.</summary>
public sealed class SessionWaitlistExport(GetSessionWaitlist.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "session-prescriptions";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var sessionId = parameters.RequiredGuid("session", "la session");
        var result = await handler.HandleAsync(new GetSessionWaitlist(sessionId), user, cancellationToken);
        return ExportSource.FromRows($"Prescriptions – {result.FicheTitle}", ExportCells.FileName($"session-{ExportCells.Day(result.Start).Replace('/', '-')}-prescriptions", clock),
            ["Position", "Candidat", "Prescripteur", "Choix", "Statut", "Prescrit le", "Autres choix"],
            [.. result.Entries.Select(e => (IReadOnlyList<string>)[
                e.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—", e.CandidateName, e.PrescriberOrganisation,
                $"n° {e.Rank}", e.Status.Label(), ExportCells.DayTime(e.PrescribedAt),
                string.Join(" | ", e.OtherChoices.Select(o => $"n° {o.Rank} · {o.FicheTitle} ({o.TrainingBodyName}) · {o.Status.Label()}")),
            ])]);
    }
}
