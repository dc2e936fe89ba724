using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>One reason of the reference list, as the screens show it (ADR 0026).</summary>
public sealed record NonSelectionReasonChoice(string Code, string Label, NonSelectionReasonKind Kind, bool Active, int DisplayOrder)
{
    /// <summary>S7: a reason of this kind needs its precision (the criterion not met, the other reason's words).</summary>
    public bool NeedsDetail => Kind is NonSelectionReasonKind.PrerequisitesNotMet or NonSelectionReasonKind.Other;

    /// <summary>The reason as the OF gives it (the handler checks it against the list again).</summary>
    public NonSelectionReason Give(string? detail = null) => new(Kind, detail, Code) { Label = Label };
}

/// <summary>
/// Issue #14 (3), ADR 0026: the reasons list, in the order of the decision screens: the active reasons only (what an
/// OF or an arbitrator may give) or all of them (the administrator's screen). The list is reference data, not
/// personal data: every user with a role reads it.
/// </summary>
public sealed record GetNonSelectionReasons(bool ActiveOnly = true)
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<NonSelectionReasonChoice>> HandleAsync(GetNonSelectionReasons query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (user.Roles.Count == 0) throw new AccessDeniedException("Accès réservé aux utilisateurs du portail.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await NonSelectionReasonList.ChoicesAsync(db, query.ActiveOnly, cancellationToken);
        }
    }
}

/// <summary>ADR 0026: how decisions and their readers use the reasons list.</summary>
public static class NonSelectionReasonList
{
    public static async Task<IReadOnlyList<NonSelectionReasonChoice>> ChoicesAsync(IAppDbContext db, bool activeOnly, CancellationToken cancellationToken)
    {
        var reasons = db.NonSelectionReasons.AsNoTracking();
        if (activeOnly) reasons = reasons.Where(r => r.Active);
        return await reasons.OrderBy(r => r.DisplayOrder).ThenBy(r => r.Code)
            .Select(r => new NonSelectionReasonChoice(r.Code, r.Label, r.Kind, r.Active, r.DisplayOrder))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// S7: the reasons of a new decision, checked against the list: a reason with a code must be an active reason of
    /// the list, and takes the list's kind (its rules: S5, S7) and label. A reason given by its kind only (the
    /// arbitrator's criteria and own words) takes the code of the list's first reason of that kind, active first.
    /// </summary>
    public static async Task<List<NonSelectionReason>> ResolveAsync(IAppDbContext db, IReadOnlyCollection<NonSelectionReason> reasons, CancellationToken cancellationToken)
    {
        var list = await ChoicesAsync(db, activeOnly: false, cancellationToken);
        var byCode = list.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        var resolved = new List<NonSelectionReason>(reasons.Count);
        foreach (var reason in reasons)
        {
            if (!string.IsNullOrWhiteSpace(reason.Code))
            {
                if (!byCode.TryGetValue(reason.Code.Trim(), out var entry))
                    throw new DomainException($"Motif de non-sélection inconnu : « {reason.Code.Trim()} ».", "S7");
                if (!entry.Active)
                    throw new DomainException($"Le motif « {entry.Label} » n'est plus proposé : rechargez l'écran et choisissez un motif de la liste à jour.", "S7");
                resolved.Add(reason with { Code = entry.Code, Kind = entry.Kind, Label = entry.Label });
                continue;
            }
            var ofKind = list.Where(r => r.Kind == reason.Kind).OrderBy(r => r.Active ? 0 : 1).FirstOrDefault();
            resolved.Add(ofKind is null ? reason : reason with { Code = ofKind.Code, Label = ofKind.Label });
        }
        return resolved;
    }

    /// <summary>Every reason's label by code (a few dozen lines), for the readers of past decisions.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> LabelsAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        await db.NonSelectionReasons.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Label, StringComparer.OrdinalIgnoreCase, cancellationToken);

    /// <summary>S7: a past decision's reason as the prescriber and the candidate read it: its code's label in the list, else its kind's.</summary>
    public static string TextWith(this NonSelectionReason reason, IReadOnlyDictionary<string, string> labels) =>
        (reason with { Label = reason.Code is { } code && labels.TryGetValue(code, out var label) ? label : null }).Text;
}
