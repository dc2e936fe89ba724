using System.Globalization;
using Portal.Application.Export;

namespace Portal.Application.Features.Observatory;

/// <summary>Q3: the access observatory's tables, shown beside each chart and exported as they are shown.</summary>
public static class AccessTables
{
    public const string Publics = "publics";
    public const string Bands = "distances";
    public const string Departements = "departements";
    public const string Reasons = "motifs";
    public const string ReasonsByTrainingBody = "motifs-organismes";
    public const string ReasonsByAction = "motifs-actions";
    public const string Difficulties = "difficultes";
    public const string Needs = "besoins";

    public static readonly IReadOnlyList<string> Keys = [Publics, Bands, Departements, Reasons, ReasonsByTrainingBody, ReasonsByAction, Difficulties, Needs];

    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    public static string Percent(double? share) => share is { } s ? s.ToString("0.0", Fr) + " %" : "—";

    public static IReadOnlyList<ReportTable> From(GetAccessObservatory.Result r) =>
    [
        new(Publics, "Accès des publics fragiles",
            ["Public", "Prescriptions", "Sélections", "Entrées", "Part des prescriptions", "Part des entrées", "Taux de sélection"],
            [.. r.Publics.Select(p => (IReadOnlyList<string>)[p.Public, p.Prescriptions.ToString(), p.Selected.ToString(), p.Entered.ToString(),
                Percent(p.ShareOfPrescriptions), Percent(p.ShareOfEntries), Percent(p.SelectionRate)])]),
        new(Bands, "Mobilité : distance entre la commune du candidat et le lieu de formation",
            ["Distance", "Prescriptions", "dont publics fragiles", "Part des publics fragiles"],
            [.. r.Bands.Select(b => (IReadOnlyList<string>)[b.Band, b.Prescriptions.ToString(), b.Fragile.ToString(), Percent(b.FragileShare)])]),
        new(Departements, "Mobilité par département de résidence",
            ["Département", .. Distance.Bands.Select(b => b.Label), "Total", "Distance moyenne (km)"],
            [.. r.MobilityByDepartement.Select(d => (IReadOnlyList<string>)[$"{d.DepartementCode} – {d.DepartementName}", .. d.ByBand.Select(c => c.ToString()),
                d.Total.ToString(), d.AverageKm?.ToString("0.0", Fr) ?? "—"])]),
        new(Reasons, "Motifs de non-sélection", ["Motif", "Non-sélections qui le citent"],
            [.. r.ReasonsByKind.Select(x => (IReadOnlyList<string>)[x.Label, x.Count.ToString()])]),
        new(ReasonsByTrainingBody, "Non-sélections par organisme de formation", ["Organisme de formation", "Non-sélections"],
            [.. r.ReasonsByTrainingBody.Select(x => (IReadOnlyList<string>)[x.Label, x.Count.ToString()])]),
        new(ReasonsByAction, "Non-sélections par action", ["Action", "Non-sélections"],
            [.. r.ReasonsByAction.Select(x => (IReadOnlyList<string>)[x.Label, x.Count.ToString()])]),
        new(Difficulties, "Difficultés de recrutement : sessions closes sous leur capacité",
            ["Action", "Organisme de formation", "Clôture des inscriptions", "Places", "Prescriptions", "Sélectionnés ou entrés", "Taux de remplissage"],
            [.. r.RecruitmentDifficulties.Select(d => (IReadOnlyList<string>)[d.FicheTitle, d.TrainingBody, d.Deadline.ToString("dd/MM/yyyy", Fr),
                d.Capacity.ToString(Fr), d.Prescriptions.ToString(), d.Filled.ToString(), Percent(d.FillRate)])]),
        new(Needs, "Besoins et positionnement : métiers visés par les candidats et offre positionnée",
            ["Métier visé (ROME)", "Candidats prescrits", "Prescriptions sur une action de ce métier", "Part", "Sessions ouvertes sur ce métier"],
            [.. r.Needs.Select(n => (IReadOnlyList<string>)[$"{n.RomeCode} – {n.Label}", n.Candidates.ToString(), n.OnMatchingAction.ToString(), Percent(n.MatchingShare),
                n.OpenSessions.ToString(Fr)])]),
    ];
}
