using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Candidates;

namespace Portal.Application.Features.Candidates;

/// <summary>A7: how long a candidate's personal link stays valid (`Portal:CandidateLinkDays`).</summary>
public sealed record CandidateLinkSettings(TimeSpan Lifetime)
{
    public const int DefaultDays = 30;

    public static CandidateLinkSettings Default { get; } = new(TimeSpan.FromDays(DefaultDays));
}

/// <summary>
/// A7, S7: the prescriber creates a personal link for one of their candidates. The token is returned once
/// (to be given to the candidate) and never stored nor logged: only its SHA-256 hash is kept.
/// </summary>
public sealed record CreateCandidateLink(Guid CandidateId)
{
    public sealed record Result(Guid LinkId, string Token, DateTimeOffset ExpiresAt)
    {
        /// <summary>The page's relative address (the token is URL-safe).</summary>
        public string Path => $"/mon-suivi/{Token}";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, CandidateLinkSettings settings)
    {
        public async Task<Result> HandleAsync(CreateCandidateLink command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur du candidat lui donne un lien personnel.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidate = await db.Candidates(user).Where(c => c.Id == command.CandidateId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Candidat introuvable.");
            var link = CandidateLink.Create(candidate, user.UserId, clock.GetUtcNow(), settings.Lifetime, out var token);
            db.AllCandidateLinks.Add(link);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(link.Id, token, link.ExpiresAt);
        }
    }
}

/// <summary>A7: the prescriber revokes a candidate's link; it opens nothing from now on.</summary>
public sealed record RevokeCandidateLink(Guid LinkId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(RevokeCandidateLink command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur du candidat révoque son lien personnel.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidates = db.Candidates(user).Select(c => c.Id);
            var link = await db.AllCandidateLinks.FirstOrDefaultAsync(l => l.Id == command.LinkId && candidates.Contains(l.CandidateId), cancellationToken)
                ?? throw new NotFoundException("Lien introuvable.");
            link.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

/// <summary>A7: the candidate's links (never their tokens), newest first, with whether each still opens.</summary>
public sealed record GetCandidateLinks(Guid CandidateId)
{
    public sealed record Link(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, bool IsValid);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<IReadOnlyList<Link>> HandleAsync(GetCandidateLinks query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            if (!user.IsPrescriberSide || !await db.Candidates(user).AnyAsync(c => c.Id == query.CandidateId, cancellationToken))
                throw new NotFoundException("Candidat introuvable.");
            var now = clock.GetUtcNow();
            var links = await db.AllCandidateLinks.AsNoTracking().Where(l => l.CandidateId == query.CandidateId).ToListAsync(cancellationToken);
            return [.. links.OrderByDescending(l => l.CreatedAt).Select(l => new Link(l.Id, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.IsValidAt(now)))];
        }
    }
}
