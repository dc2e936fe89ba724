using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Features.PersonalData;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Access;

/// <summary>
/// Issue #14 (2): the audit log, for the administrator only: filtered by actor (name), kind of action, target (name or
/// e-mail) and days in Paris; latest first; one page counted and read in SQL (index AuditEntries(At)).
/// </summary>
public sealed record SearchAudit(string? Actor = null, AuditAction? Action = null, string? Target = null, DateOnly? From = null,
    DateOnly? To = null, int Skip = 0, int Take = SearchAudit.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxSearchLength = 100;

    public sealed record Row(long Id, DateTimeOffset At, string Actor, AuditAction Action, string Target, string? Before, string? After);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(SearchAudit query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Admin)) throw new AccessDeniedException("Le journal d'administration est réservé à l'administrateur.");
            TextLimit.Ensure(query.Actor, MaxSearchLength, "La recherche sur l'auteur");
            TextLimit.Ensure(query.Target, MaxSearchLength, "La recherche sur la cible");
            if (query.From is { } f && query.To is { } t && t < f) throw new DomainException("La date de fin doit suivre la date de début.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lines = db.AllAuditEntries.AsNoTracking();
            if (Like(query.Actor) is { } actor) lines = lines.Where(a => EF.Functions.Like(a.ActorName.ToLower(), actor));
            if (Like(query.Target) is { } target) lines = lines.Where(a => EF.Functions.Like(a.Target.ToLower(), target));
            if (query.Action is { } action) lines = lines.Where(a => a.Action == action);
            lines = lines.WithinParisDays(a => a.At, query.From, query.To);
            var total = await lines.CountAsync(cancellationToken);
            var page = await lines.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 500))
                .Select(a => new Row(a.Id, a.At, a.ActorName, a.Action, a.Target, a.Before, a.After))
                .ToListAsync(cancellationToken);
            return new Result(page, total);
        }

        private static string? Like(string? text) =>
            string.IsNullOrWhiteSpace(text) ? null
            : $"%{text.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant()}%";
    }
}

/// <summary>Issue #14 (2): the audit log as filtered on screen, page by page, for the administrator only.</summary>
public sealed class AuditExport(SearchAudit.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "journal-administration";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var filter = new SearchAudit(parameters.Text("auteur"), parameters.Text("action") is null ? null : parameters.Enum("action", AuditAction.OrganisationCreated),
            parameters.Text("cible"), SensitiveReadsExport.Day(parameters.Text("du")), SensitiveReadsExport.Day(parameters.Text("au")));
        var total = (await handler.HandleAsync(filter with { Take = 1 }, user, cancellationToken)).Total;
        return new ExportSource("Journal d'administration", ExportCells.FileName(ListKey, clock),
            ["Le", "Par", "Action", "Cible", "Avant", "Après"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(filter with { Skip = skip, Take = take }, user, ct)).Rows
                .Select(r => (IReadOnlyList<string>)[
                    ExportCells.DayTime(r.At), r.Actor, r.Action.Label(), r.Target, r.Before ?? "", r.After ?? "",
                ])]);
    }
}
