using Portal.Application.Abstractions;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Tests.Support;

/// <summary>S3: info sessions for tests that need a convocation (added to the context, saved with it).</summary>
public static class Meetings
{
    /// <summary>Adds a meeting of the prescription's session exactly 7 days after <paramref name="convokedAt"/>, and convokes to it.</summary>
    public static InfoSession ConvokeAt(IAppDbContext db, Prescription p, Guid by, DateTimeOffset convokedAt)
    {
        var meeting = new InfoSession(p.SessionId, InfoSessionKind.Collective, convokedAt.AddDays(InfoSession.ConvocationNoticeDays), "Salle 3, 12 rue des Arts, Bordeaux", "Pièce d'identité");
        db.InfoSessions.Add(meeting);
        p.Convoke(meeting, by, convokedAt);
        return meeting;
    }

    /// <summary>S3: adds a meeting at <paramref name="meetingAt"/> and convokes to it at <paramref name="convokedAt"/>, late if so (the OF confirmed).</summary>
    public static InfoSession ConvokeTo(IAppDbContext db, Prescription p, Guid by, DateTimeOffset convokedAt, DateTimeOffset meetingAt)
    {
        var meeting = new InfoSession(p.SessionId, InfoSessionKind.Collective, meetingAt, "Salle 3, 12 rue des Arts, Bordeaux", "Pièce d'identité");
        db.InfoSessions.Add(meeting);
        p.Convoke(meeting, by, convokedAt, lateConfirmed: true);
        return meeting;
    }
}
