using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.FollowUp;

/// <summary>
/// A7, S7: what a candidate reads through their personal link, without logging in: their first name, and for
/// each of their prescriptions the training, its OF, its dates, its status and the reasons of a non-selection.
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
    }

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
            var link = await db.CandidateLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
            if (link is null || !link.IsValidAt(clock.GetUtcNow())) return null;
            var firstName = await db.Candidates.Where(c => c.Id == link.CandidateId).Select(c => c.FirstName).FirstOrDefaultAsync(cancellationToken);
            if (firstName is null) return null;

            var rows = await db.Prescriptions.AsNoTracking()
                .Where(p => p.CandidateId == link.CandidateId)
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, x => x.s.FicheActionId, f => f.Id, (x, f) => new { x.p, x.s, f.Title })
                .Join(db.Organisations, x => x.p.TrainingBodyId, o => o.Id, (x, o) => new { x.p, x.s, x.Title, Of = o.Name })
                .ToListAsync(cancellationToken);
            var choices = rows
                .OrderBy(x => x.p.Status.IsActive() ? 0 : 1).ThenBy(x => x.p.Rank).ThenByDescending(x => x.p.CreatedAt)
                .Select(x => new Choice(x.p.Id, x.p.Rank, x.Title, x.Of, x.s.Start, x.s.End, x.p.Status,
                    x.p.Status == PrescriptionStatus.NotSelected ? [.. x.p.NonSelectionReasons.Select(r => r.Text)] : [])
                {
                    Explanation = x.p.Status == PrescriptionStatus.NotSelected ? x.p.CandidateExplanation : null,
                })
                .ToList();
            return new View(firstName, link.ExpiresAt, choices);
        }
    }
}
