using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Issue #14 (4): the journal of the reads of a candidate's RQTH (who read it, when, which candidate), written by the
/// candidate and prescription pages. The administrator reads every line; a prescriber organisation's référent reads the
/// lines about its own organisation's candidates, whoever read them (its counsellors, an OF, the Région); nobody else.
/// Filtered by a name (candidate or reader) and by days in Paris, the latest first, one page counted and read in SQL
/// (index SensitiveReads(At) for the administrator, (CandidateId, At) for a référent).
/// </summary>
public sealed record GetSensitiveReads(string? Search = null, DateOnly? From = null, DateOnly? To = null, int Skip = 0, int Take = GetSensitiveReads.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;
    public const int MaxSearchLength = 100;

    public sealed record Row(long Id, DateTimeOffset At, string Reader, string ReaderEmail, Guid CandidateId, string Candidate, string Field);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetSensitiveReads query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EnsureReader(user);
            if (query.From is { } from && query.To is { } to && to < from)
                throw new DomainException("La date de fin doit suivre la date de début.");
            TextLimit.Ensure(query.Search, MaxSearchLength, "La recherche");

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lines =
                from r in db.AllSensitiveReads.AsNoTracking()
                join c in db.AllCandidates on r.CandidateId equals c.Id
                join u in db.Users on r.UserId equals u.Id
                select new { r, c, u };
            // The administrator: every line; a référent: the lines about its organisation's candidates.
            if (!user.Is(Role.Admin))
            {
                var organisationId = user.OrganisationId;
                lines = lines.Where(x => x.c.OrganisationId == organisationId);
            }
            lines = lines.WithinParisDays(x => x.r.At, query.From, query.To);
            if (query.Search?.Trim() is { Length: > 0 } search)
            {
                var pattern = $"%{search.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
                lines = lines.Where(x => EF.Functions.Like((x.c.FirstName + " " + x.c.LastName).ToLower(), pattern, "\\")
                                         || EF.Functions.Like((x.u.GivenName + " " + x.u.FamilyName).ToLower(), pattern, "\\")
                                         || EF.Functions.Like(x.u.Email.ToLower(), pattern, "\\"));
            }

            var total = await lines.CountAsync(cancellationToken);
            var rows = await lines
                .OrderByDescending(x => x.r.At).ThenByDescending(x => x.r.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Select(x => new Row(x.r.Id, x.r.At, x.u.GivenName + " " + x.u.FamilyName, x.u.Email, x.c.Id,
                    x.c.IsPseudonymised ? Portal.Domain.Candidates.Candidate.PseudonymisedName : x.c.FirstName + " " + x.c.LastName, x.r.Field))
                .ToListAsync(cancellationToken);
            return new Result(rows, total);
        }

        /// <summary>
        /// Who may read the journal: the administrator, a prescriber organisation's référent, and its correspondant délégué,
        /// who sees the whole organisation like a référent (A2).
        /// </summary>
        public static bool MayRead(CurrentUser user) => user.Is(Role.Admin) || user.SeesWholeOrganisation;

        private static void EnsureReader(CurrentUser user)
        {
            if (!MayRead(user))
                throw new AccessDeniedException("Le journal des consultations RQTH est réservé à l'administrateur, au référent et au correspondant délégué de l'organisation.");
        }
    }
}
