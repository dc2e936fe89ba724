using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// The sessions a prescriber can prescribe on (open, of a validated fiche), searched by words, with what
/// the prescription form shows: the fiche's prerequisites and selection criteria (S12). Paged in SQL
/// (index Sessions(Status, Start)).
/// </summary>
public sealed record GetPrescribableSessions(string? Words = null, int Take = 20)
{
    public sealed record Option(
        Guid SessionId, string FicheTitle, string TrainingBodyName, DateOnly Start, DateOnly RegistrationDeadline, int OpenPlaces, int Capacity,
        string CommuneName, string Prerequisites, IReadOnlyList<string> SelectionCriteria)
    {
        public string Display => $"{FicheTitle} – {TrainingBodyName} – début le {Start:dd/MM/yyyy}";

        /// <summary>P1: the jobs concerned, as "label (ROME code)".</summary>
        public IReadOnlyList<string> Jobs { get; init; } = [];

        /// <summary>P1: débouchés (job prospects).</summary>
        public string JobProspects { get; init; } = "";

        /// <summary>P1: suites de parcours.</summary>
        public string FollowOnPaths { get; init; } = "";

        /// <summary>P2: admission conditions.</summary>
        public string AdmissionConditions { get; init; } = "";

        /// <summary>P2: how the OF selects (information session, tests, interview...).</summary>
        public string SelectionModalities { get; init; } = "";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Option>> HandleAsync(GetPrescribableSessions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul un prescripteur prescrit.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiches = db.FicheActions(user).Where(f => f.Status == FicheStatus.Validated);
            foreach (var word in TextSearch.Normalize(query.Words).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                fiches = fiches.Where(f => EF.Functions.Like(f.SearchText, $"%{word}%"));
            var rows = await db.Sessions(user)
                .Where(s => s.Status == SessionStatus.Open)
                .Join(fiches, s => s.FicheActionId, f => f.Id, (s, f) => new { s, f })
                .Join(db.Organisations, x => x.s.OrganisationId, o => o.Id, (x, o) => new { x.s, x.f, OfName = o.Name })
                .OrderBy(x => x.s.Start)
                .Take(Math.Clamp(query.Take, 1, 100))
                .Select(x => new
                {
                    x.s.Id, x.f.Title, x.OfName, x.s.Start, x.s.RegistrationDeadline, x.s.OpenPlaces, x.s.Capacity,
                    Commune = db.Communes.Where(c => c.InseeCode == x.s.PlaceCommuneInsee).Select(c => c.Name).FirstOrDefault() ?? x.s.PlaceCommuneInsee,
                    x.f.Prerequisites, x.f.SelectionCriteria, x.f.RomeCodes, x.f.JobProspects, x.f.FollowOnPaths, x.f.AdmissionConditions, x.f.SelectionModalities,
                })
                .ToListAsync(cancellationToken);
            var codes = rows.SelectMany(r => r.RomeCodes).Distinct().ToList();
            var labels = await db.RomeCodes.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Label, cancellationToken);
            return [.. rows.Select(r => new Option(r.Id, r.Title, r.OfName, r.Start, r.RegistrationDeadline, r.OpenPlaces, r.Capacity, r.Commune, r.Prerequisites, r.SelectionCriteria)
            {
                Jobs = [.. r.RomeCodes.Select(c => labels.TryGetValue(c, out var label) && label.Length > 0 ? $"{label} ({c})" : c)],
                JobProspects = r.JobProspects,
                FollowOnPaths = r.FollowOnPaths,
                AdmissionConditions = r.AdmissionConditions,
                SelectionModalities = r.SelectionModalities,
            })];
        }
    }
}
