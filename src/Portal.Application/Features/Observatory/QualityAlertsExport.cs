using Portal.Application.Export;
using Portal.Application.Security;

namespace Portal.Application.Features.Observatory;

/// <summary>Q2, Q3: the open quality alerts the user sees, through the panel's handler (an OF: its own; the CARIF: all...).</summary>
public sealed class QualityAlertsExport(GetQualityAlerts.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "alertes-qualite";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var total = (await handler.HandleAsync(new GetQualityAlerts(Take: 1), user, cancellationToken)).Total;
        // Every open alert the user sees, page by page in the panel's order (not only the panel's page).
        return new ExportSource("Alertes qualité", ExportCells.FileName(ListKey, clock),
            ["Organisme", "Alerte", "Levée le", "Transmise à la Région le", "Commentaire"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(new GetQualityAlerts(skip, take), user, ct)).Alerts
                .Select(a => (IReadOnlyList<string>)[
                    a.Organisation, a.Message, ExportCells.Day(a.RaisedAt), a.ForwardedAt is { } f ? ExportCells.Day(f) : "", a.ForwardComment ?? "",
                ])]);
    }
}
