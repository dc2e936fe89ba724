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
        var alerts = await handler.HandleAsync(user, cancellationToken);
        return ExportSource.FromRows("Alertes qualité", ExportCells.FileName(ListKey, clock),
            ["Organisme", "Alerte", "Levée le", "Transmise à la Région le", "Commentaire"],
            [.. alerts.Select(a => (IReadOnlyList<string>)[
                a.Organisation, a.Message, ExportCells.Day(a.RaisedAt), a.ForwardedAt is { } f ? ExportCells.Day(f) : "", a.ForwardComment ?? "",
            ])]);
    }
}
