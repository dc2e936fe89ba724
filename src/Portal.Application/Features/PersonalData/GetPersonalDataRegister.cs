using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Issue #14 (4), ADR 0025: the register of the requests on personal data: each copy of a candidate's data downloaded
/// and each erasure (<see cref="PersonalDataLogEntry"/>, written by <see cref="ExportCandidateData"/> and
/// <see cref="EraseCandidate"/>): when, what, by whom, the candidate's organisation, the detail. The administrator reads
/// every line; the référent of a prescriber organisation and its correspondant délégué (A2, checked again in the
/// database) read the lines about their organisation's candidates; nobody else. Filtered by action and by days in Paris,
/// the latest first, one page counted and read in SQL (index PersonalDataLog(OrganisationId, At) for an organisation).
/// </summary>
public sealed record GetPersonalDataRegister(PersonalDataAction? Action = null, DateOnly? From = null, DateOnly? To = null,
    int Skip = 0, int Take = GetPersonalDataRegister.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;
    public const string Refusal = "Le registre des demandes sur les données personnelles est réservé à l'administrateur, au référent et au correspondant délégué de l'organisation.";

    public sealed record Row(long Id, DateTimeOffset At, PersonalDataAction Action, string By, string ByEmail, Guid CandidateId, string Candidate,
        string Organisation, string Detail);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetPersonalDataRegister query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!MayRead(user)) throw new AccessDeniedException(Refusal);
            if (query.From is { } f && query.To is { } t && t < f) throw new DomainException("La date de fin doit suivre la date de début.");
            if (query.Action is { } a && !Enum.IsDefined(a)) throw new DomainException("Action inconnue.");

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var entries = db.AllPersonalDataLog.AsNoTracking();
            if (!user.Is(Role.Admin))
            {
                var organisationId = user.OrganisationId;
                // A2: a délégué reads the register while the organisation names them (read now, not from the login).
                if (!user.Is(Role.ReferentFormation)
                    && !await db.Organisations.AnyAsync(o => o.Id == organisationId && o.DelegateUserId == user.UserId, cancellationToken))
                    throw new AccessDeniedException(Refusal);
                entries = entries.Where(l => l.OrganisationId == organisationId);
            }
            if (query.Action is { } action) entries = entries.Where(l => l.Action == action);
            entries = entries.WithinParisDays(l => l.At, query.From, query.To);

            var total = await entries.CountAsync(cancellationToken);
            var page = entries.OrderByDescending(l => l.At).ThenByDescending(l => l.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake));
            var rows = await (
                from l in page
                join u in db.Users on l.UserId equals u.Id
                join o in db.Organisations on l.OrganisationId equals o.Id
                join c in db.AllCandidates on l.CandidateId equals c.Id
                orderby l.At descending, l.Id descending
                select new Row(l.Id, l.At, l.Action, u.GivenName + " " + u.FamilyName, u.Email, c.Id,
                    c.IsPseudonymised ? Portal.Domain.Candidates.Candidate.PseudonymisedName : c.FirstName + " " + c.LastName, o.Name, l.Detail))
                .ToListAsync(cancellationToken);
            return new Result(rows, total);
        }

        /// <summary>Who may open the register: the administrator, a référent formation, a correspondant délégué of a prescriber organisation.</summary>
        public static bool MayRead(CurrentUser user) =>
            user.Is(Role.Admin) || (user.IsPrescriberSide && (user.Is(Role.ReferentFormation) || user.IsDelegate));
    }
}

/// <summary>The French label of an action of the register.</summary>
public static class PersonalDataActionLabels
{
    public static string Label(this PersonalDataAction action) => action switch
    {
        PersonalDataAction.Export => "Copie",
        PersonalDataAction.Erasure => "Effacement",
        _ => action.ToString(),
    };
}

/// <summary>Issue #14 (4): the register of the requests on personal data as filtered on screen, page by page, for its readers only.</summary>
public sealed class PersonalDataRegisterExport(GetPersonalDataRegister.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "registre-donnees-personnelles";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var filter = new GetPersonalDataRegister(parameters.Text("action") is null ? null : parameters.Enum("action", PersonalDataAction.Export),
            SensitiveReadsExport.Day(parameters.Text("du")), SensitiveReadsExport.Day(parameters.Text("au")));
        var total = (await handler.HandleAsync(filter with { Take = 1 }, user, cancellationToken)).Total;
        return new ExportSource("Registre des demandes sur les données personnelles", ExportCells.FileName(ListKey, clock),
            ["Date", "Action", "Par", "E-mail", "Candidat", "Organisation du candidat", "Détail"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(filter with { Skip = skip, Take = take }, user, ct)).Rows
                .Select(r => (IReadOnlyList<string>)[ExportCells.DayTime(r.At), r.Action.Label(), r.By, r.ByEmail, r.Candidate, r.Organisation, r.Detail])]);
    }
}
