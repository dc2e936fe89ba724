using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Home;

/// <summary>
/// Q3: "Mes candidats" (and the référent's "Candidats de l'organisation") as shown, through the dashboard's own handler
/// (same scope, same filters), page by page on its stable order (name, first name, id).
/// </summary>
public sealed class PrescriberDashboardExport(GetPrescriberDashboard.Handler handler, TimeProvider clock, bool wholeOrganisation) : IListExport
{
    public const string MineKey = "mes-candidats";
    public const string OrganisationKey = "candidats-organisation";

    public string Key => wholeOrganisation ? OrganisationKey : MineKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        if (wholeOrganisation && !user.SeesWholeOrganisation)
            throw new AccessDeniedException("Les candidats de l'organisation sont réservés au référent formation et au correspondant délégué.");
        var search = parameters.Text("recherche");
        var filter = parameters.Enum("filtre", DashboardFilter.All);
        GetPrescriberDashboard Query(int skip, int take) => new(wholeOrganisation, search, take, skip, filter);
        var total = (await handler.HandleAsync(Query(0, 1), user, cancellationToken)).Total;
        List<string> columns = ["Candidat", "Commune"];
        if (wholeOrganisation) columns.Add("Suivi par");
        columns.AddRange(["À traiter", "Dernier événement", "Choix (au plus 3)"]);
        return new ExportSource(wholeOrganisation ? "Candidats de l'organisation" : "Mes candidats",
            ExportCells.FileName(Key, clock), columns, total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(Query(skip, take), user, ct)).Rows.Select(Cells)]);
    }

    private IReadOnlyList<string> Cells(GetPrescriberDashboard.Row row)
    {
        List<string> cells = [row.FormalName, row.CommuneName];
        if (wholeOrganisation) cells.Add(row.ReferentName);
        cells.Add(string.Join(" | ", row.NeedsAction));
        cells.Add(row.LastEvent is { } last && last.StatusChangedAt != default ? $"{last.Status.Label()}, le {ExportCells.Day(last.StatusChangedAt)}" : "");
        cells.Add(row.Choices.Count == 0
            ? "Aucune prescription"
            : string.Join(" | ", row.Choices.Select(c =>
                $"{c.Rank}. {c.FicheTitle} ({c.TrainingBodyName}, début le {ExportCells.Day(c.SessionStart)}) : {c.Status.Label()}, {c.OpenPlaces} place(s) ouverte(s) sur {c.Capacity}"
                + (string.IsNullOrEmpty(c.DecisionReasons) || c.Status != Domain.Prescriptions.PrescriptionStatus.NotSelected ? "" : $", motifs : {c.DecisionReasons}"))));
        return cells;
    }
}
