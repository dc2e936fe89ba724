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
        var first = await handler.HandleAsync(new GetSessionWaitlist(sessionId, Take: 1), user, cancellationToken);
        // Every prescription of the session, page by page in O9 order (positions continue across pages).
        return new ExportSource($"Prescriptions – {first.FicheTitle}", ExportCells.FileName($"session-{ExportCells.Day(first.Start).Replace('/', '-')}-prescriptions", clock),
            ["Position", "Candidat", "Prescripteur", "Choix", "Statut", "Prescrit le", "Autres choix"], first.Total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(new GetSessionWaitlist(sessionId, skip, take), user, ct)).Entries.Select(Cells)]);
    }

    private static IReadOnlyList<string> Cells(GetSessionWaitlist.Entry e) =>
    [
        e.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—", e.CandidateName, e.PrescriberOrganisation,
        $"n° {e.Rank}", e.Status.Label(), ExportCells.DayTime(e.PrescribedAt),
        string.Join(" | ", e.OtherChoices.Select(o => $"n° {o.Rank} · {o.FicheTitle} ({o.TrainingBodyName}) · {o.Status.Label()}")),
    ];
}
