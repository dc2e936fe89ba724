using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Writes the RQTH reads journal (issue #14 (4), P7): one line per reader, candidate and field within
/// <see cref="Window"/>, so that a page rendered twice (prerender, then the live circuit) or reloaded at once is one read
/// in the journal, while a read an hour later is another line. The caller saves the context.
/// </summary>
public static class SensitiveReadJournal
{
    public const string Rqth = "RQTH";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static async Task LogAsync(IAppDbContext db, CurrentUser user, IReadOnlyCollection<Guid> candidateIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (candidateIds.Count == 0) return;
        var since = now - Window;
        var ids = candidateIds.ToList();
        var userId = user.UserId;
        var recent = await db.AllSensitiveReads.AsNoTracking()
            // Bounded on both sides: a line stamped after `now` (another server's clock ahead, or tests sharing a base at
            // instants of their own) is not a read of the last minute and must not swallow this one.
            .Where(r => ids.Contains(r.CandidateId) && r.At >= since && r.At <= now && r.UserId == userId && r.Field == Rqth)
            .Select(r => r.CandidateId).Distinct().ToListAsync(cancellationToken);
        foreach (var id in ids.Except(recent))
            db.AllSensitiveReads.Add(new SensitiveReadLog { UserId = userId, CandidateId = id, Field = Rqth, At = now });
    }
}
