using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.FollowUp;

/// <summary>
/// A7, S7: what a candidate reads through their personal link, without logging in: their first name, and for
/// each of their prescriptions the training, its OF, its dates, its status, the meeting they are convoked to, and
/// the reasons of a non-selection with the explanation written for them.
/// Nothing else, and nothing about anyone else. An unknown, expired or revoked token answers null (the same
/// for all three, so a token cannot be probed). The token is looked up by its hash and never logged.
/// </summary>
public sealed record GetCandidateFollowUp(string Token)
{
    public sealed record Choice(
        Guid PrescriptionId, int Rank, string FicheTitle, string TrainingBodyName, DateOnly SessionStart, DateOnly SessionEnd,
        PrescriptionStatus Status, IReadOnlyList<string> NonSelectionReasons)
    {
        /// <summary>S7: the OF's explanation written for the candidate (only on a non-selection).</summary>
        public string? Explanation { get; init; }

        /// <summary>S3: the meeting the candidate is convoked to, while it is still ahead of the selection.</summary>
        public Convocation? Convocation { get; init; }
    }

    /// <summary>S3: an information session or interview: when, where, what to bring.</summary>
    public sealed record Convocation(DateTimeOffset StartsAt, string Place, string WhatToBring, Domain.Offer.InfoSessionKind Kind);

    public sealed record View(string FirstName, DateTimeOffset LinkExpiresAt, IReadOnlyList<Choice> Choices);

    /// <summary>Longest token accepted (the real ones are 43 characters).</summary>
    public const int MaxTokenLength = 128;

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<View?> HandleAsync(GetCandidateFollowUp query, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(query.Token) || query.Token.Length > MaxTokenLength) return null;
            var hash = CandidateLink.Hash(query.Token);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var link = await db.AllCandidateLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
            if (link is null || !link.IsValidAt(clock.GetUtcNow())) return null;
            var firstName = await db.AllCandidates.Where(c => c.Id == link.CandidateId).Select(c => c.FirstName).FirstOrDefaultAsync(cancellationToken);
            if (firstName is null) return null;

            var rows = await db.AllPrescriptions.AsNoTracking()
                .Where(p => p.CandidateId == link.CandidateId)
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, x => x.s.FicheActionId, f => f.Id, (x, f) => new { x.p, x.s, f.Title })
                .Join(db.Organisations, x => x.p.TrainingBodyId, o => o.Id, (x, o) => new { x.p, x.s, x.Title, Of = o.Name })
                .ToListAsync(cancellationToken);
            // One query for the meetings of every choice, not one per choice.
            var meetingIds = rows.Where(x => x.p.ConvokedInfoSessionId is not null).Select(x => x.p.ConvokedInfoSessionId!.Value).Distinct().ToList();
            var meetings = await db.InfoSessions.AsNoTracking().Where(i => meetingIds.Contains(i.Id))
                .ToDictionaryAsync(i => i.Id, i => new Convocation(i.StartsAt, i.Place, i.WhatToBring, i.Kind), cancellationToken);
            // S7, ADR 0026: each reason read with its code's label in the list as it stands.
            var reasonLabels = await Selection.NonSelectionReasonList.LabelsAsync(db, cancellationToken);
            var choices = rows
                .OrderBy(x => x.p.Status.IsActive() ? 0 : 1).ThenBy(x => x.p.Rank).ThenByDescending(x => x.p.CreatedAt)
                .Select(x => new Choice(x.p.Id, x.p.Rank, x.Title, x.Of, x.s.Start, x.s.End, x.p.Status,
                    x.p.Status == PrescriptionStatus.NotSelected ? [.. x.p.NonSelectionReasons.Select(r => Selection.NonSelectionReasonList.TextWith(r, reasonLabels))] : [])
                {
                    Explanation = x.p.Status == PrescriptionStatus.NotSelected ? x.p.CandidateExplanation : null,
                    Convocation = x.p.Status == PrescriptionStatus.Convoked && x.p.ConvokedInfoSessionId is { } m ? meetings.GetValueOrDefault(m) : null,
                })
                .ToList();
            return new View(firstName, link.ExpiresAt, choices);
        }
    }
}
