using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Catalogue;

/// <summary>
/// A fiche action's public page (issue #3 item 4): what it teaches, who it is for, how candidates are
/// selected (S12: each criterion on its own), and its upcoming sessions with open places (O8), registration
/// deadline and information sessions. Only a validated fiche has one (O2): otherwise the result is null (404).
/// </summary>
/// <remarks>
/// Indexes used: FicheActions primary key (+ Status through AccessScope); Sessions(FicheActionId) for its
/// sessions; InfoSessions(SessionId, StartsAt) for their information sessions; Communes and RomeCodes primary
/// keys for the names of places and jobs; Organisations primary key for the training body.
/// </remarks>
public sealed record GetCatalogueFiche(Guid FicheId)
{
    public sealed record Job(string Code, string Label);

    public sealed record InfoMeeting(Guid SessionId, InfoSessionKind Kind, DateTimeOffset StartsAt, string Place, string WhatToBring);

    public sealed record Session(
        Guid SessionId, DateOnly Start, DateOnly End, DateOnly RegistrationDeadline, DateOnly? LateEntryDate,
        int OpenPlaces, int Capacity, SessionStatus Status, string CommuneName, IReadOnlyList<InfoMeeting> InfoMeetings)
    {
        /// <summary>Prescriptions are taken on an open session whose deadline has not passed.</summary>
        public bool TakesRegistrations(DateOnly today) => Status == SessionStatus.Open && RegistrationDeadline >= today;
    }

    public sealed record Details(
        Guid FicheId, string Title, string TrainingBodyName, EntryMode EntryMode, int HoursInCentre, int HoursInCompany,
        string Objectives, string Content, string Prerequisites, string AdmissionConditions, string SelectionModalities,
        IReadOnlyList<string> SelectionCriteria, string ExpectedResults, string? CertificationRncp, string? CertificationLevel,
        string TargetPublic, string Accessibility, string ContactName, string ContactEmail, string ContactPhone,
        IReadOnlyList<Job> Jobs, IReadOnlyList<string> TrainingPlaces, IReadOnlyList<Session> Sessions, DateOnly Today)
    {
        /// <summary>P1: débouchés (jobs and job prospects).</summary>
        public string JobProspects { get; init; } = "";

        /// <summary>P1: suites de parcours.</summary>
        public string FollowOnPaths { get; init; } = "";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Details?> HandleAsync(GetCatalogueFiche query, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            var today = TrainingSession.Today(now);
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            // The public's scope: validated fiches only (AccessScope with no user), whoever asks.
            var fiche = await db.FicheActions(null).AsNoTracking()
                .Where(f => f.Id == query.FicheId)
                .Select(f => new
                {
                    Fiche = f,
                    TrainingBody = db.Organisations.Where(o => o.Id == f.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                })
                .FirstOrDefaultAsync(cancellationToken);
            if (fiche is null) return null;
            var f = fiche.Fiche;

            var jobs = await db.RomeCodes.AsNoTracking().Where(r => f.RomeCodes.Contains(r.Code))
                .Select(r => new Job(r.Code, r.Label)).ToListAsync(cancellationToken);
            var sessions = await SearchCatalogue.UpcomingSessions(db, today)
                .Where(s => s.FicheActionId == f.Id)
                .OrderBy(s => s.Start)
                .Select(s => new
                {
                    s.Id, s.Start, s.End, s.RegistrationDeadline, s.LateEntryDate, s.OpenPlaces, s.Capacity, s.Status, s.PlaceCommuneInsee,
                })
                .ToListAsync(cancellationToken);

            var placeCodes = sessions.Select(s => s.PlaceCommuneInsee).Concat(f.TrainingPlaces).Distinct().ToList();
            var communes = await db.Communes.AsNoTracking().Where(c => placeCodes.Contains(c.InseeCode))
                .ToDictionaryAsync(c => c.InseeCode, c => c.Name, cancellationToken);
            var sessionIds = sessions.Select(s => s.Id).ToList();
            var meetings = (await db.InfoSessions.AsNoTracking()
                    .Where(i => sessionIds.Contains(i.SessionId))
                    .Select(i => new InfoMeeting(i.SessionId, i.Kind, i.StartsAt, i.Place, i.WhatToBring))
                    .ToListAsync(cancellationToken))
                // Upcoming ones only; DateTimeOffset is compared here (SQLite stores it as text).
                .Where(i => i.StartsAt >= now)
                .OrderBy(i => i.StartsAt)
                .ToLookup(i => i.SessionId);

            string Name(string insee) => communes.TryGetValue(insee, out var name) ? name : insee;
            return new Details(
                f.Id, f.Title, fiche.TrainingBody, f.EntryMode, f.HoursInCentre, f.HoursInCompany,
                f.Objectives, f.Content, f.Prerequisites, f.AdmissionConditions, f.SelectionModalities,
                f.SelectionCriteria, f.ExpectedResults, f.CertificationRncp, f.CertificationLevel,
                f.TargetPublic, f.Accessibility, f.ContactName, f.ContactEmail, f.ContactPhone,
                [.. f.RomeCodes.Select(code => jobs.FirstOrDefault(j => j.Code == code) ?? new Job(code, ""))],
                [.. f.TrainingPlaces.Select(Name)],
                [.. sessions.Select(s => new Session(s.Id, s.Start, s.End, s.RegistrationDeadline, s.LateEntryDate, s.OpenPlaces, s.Capacity,
                    s.Status, Name(s.PlaceCommuneInsee), [.. meetings[s.Id]]))],
                today)
            {
                JobProspects = f.JobProspects,
                FollowOnPaths = f.FollowOnPaths,
            };
        }
    }
}
