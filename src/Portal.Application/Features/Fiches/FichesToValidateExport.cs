using Portal.Application.Export;
using Portal.Application.Security;

namespace Portal.Application.Features.Fiches;

/// <summary>Q3: the Région's "Fiches à valider" (O2), through the list's handler, page by page (the Région only).</summary>
public sealed class FichesToValidateExport(GetFichesToValidate.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "fiches-a-valider";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var total = (await handler.HandleAsync(new GetFichesToValidate(Take: 1), user, cancellationToken)).Total;
        // The whole list, page by page in the screen's order.
        return new ExportSource("Fiches à valider", ExportCells.FileName(ListKey, clock),
            ["Intitulé", "Organisme de formation", "Version", "Soumise le"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(new GetFichesToValidate(skip, take), user, ct)).Rows
                .Select(r => (IReadOnlyList<string>)[
                    r.Title, r.OrganisationName, r.Version + (r.Version > 1 ? " (nouvelle soumission)" : ""), ExportCells.Day(r.SubmittedAt),
                ])]);
    }
}
