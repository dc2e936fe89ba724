using Portal.Domain.Common;

namespace Portal.Domain.Offer;

/// <summary>S2, S8: the information session (or individual interview) that opens selection.</summary>
public sealed class InfoSession : Entity
{
    /// <summary>S3: convocations go out at least 7 days before the meeting.</summary>
    public const int ConvocationNoticeDays = 7;

    private InfoSession() { }

    public InfoSession(Guid sessionId, InfoSessionKind kind, DateTimeOffset startsAt, string place, string whatToBring = "")
    {
        SessionId = sessionId;
        Set(kind, startsAt, place, whatToBring);
    }

    /// <summary>S2, S8: the OF schedules a meeting on one of its sessions; it must lie in the future.</summary>
    public static InfoSession Schedule(Guid sessionId, InfoSessionKind kind, DateTimeOffset startsAt, string place, string? whatToBring, DateTimeOffset now)
    {
        EnsureFuture(startsAt, now);
        return new InfoSession(sessionId, kind, startsAt, place, whatToBring ?? "");
    }

    /// <summary>
    /// Changes the meeting while nobody is convoked to it yet (the caller checks that: the convocations live on
    /// the prescriptions). A convocation already sent would otherwise announce the wrong date or place.
    /// </summary>
    public void Reschedule(InfoSessionKind kind, DateTimeOffset startsAt, string place, string? whatToBring, DateTimeOffset now)
    {
        EnsureFuture(startsAt, now);
        Set(kind, startsAt, place, whatToBring ?? "");
    }

    private void Set(InfoSessionKind kind, DateTimeOffset startsAt, string place, string whatToBring)
    {
        if (string.IsNullOrWhiteSpace(place)) throw new DomainException("Le lieu de l'information collective est obligatoire.", "S3");
        if (!Enum.IsDefined(kind)) throw new DomainException("Choisissez une information collective ou un entretien individuel.", "S8");
        Kind = kind;
        StartsAt = startsAt;
        Place = place.Trim();
        WhatToBring = whatToBring.Trim();
    }

    private static void EnsureFuture(DateTimeOffset startsAt, DateTimeOffset now)
    {
        if (startsAt <= now) throw new DomainException("La réunion doit avoir lieu dans le futur.", "S3");
    }

    public Guid SessionId { get; private set; }
    public InfoSessionKind Kind { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public string Place { get; private set; } = "";
    public string WhatToBring { get; private set; } = "";

    /// <summary>The calendar day of the meeting in France (the charter's days are Paris calendar days).</summary>
    public DateOnly Day => DateOnly.FromDateTime(FrenchTime.ToFrance(StartsAt).DateTime);

    /// <summary>
    /// S3: the last Paris calendar day on which a convocation is "at the latest 7 days before" the meeting: the
    /// meeting's day minus 7 calendar days, whatever the hour and whatever clock change lies between (ADR 0017).
    /// </summary>
    public DateOnly ConvocationDeadline => Day.AddDays(-ConvocationNoticeDays);

    /// <summary>S3: a convocation sent at <paramref name="now"/> is late (after <see cref="ConvocationDeadline"/>, Paris day).</summary>
    public bool IsConvocationLate(DateTimeOffset now) => TrainingSession.Today(now) > ConvocationDeadline;

    /// <summary>
    /// S2, S3: a candidate can be convoked to a meeting that has not begun. Within 7 days the convocation is late:
    /// it is allowed (the candidate keeps their reception, S2) only when the OF confirms it knowingly
    /// (<paramref name="lateConfirmed"/>); it is then marked late and counted by the S3 indicator.
    /// </summary>
    public void EnsureCanConvoke(DateTimeOffset now, bool lateConfirmed)
    {
        if (StartsAt <= now)
            throw new DomainException(
                $"Convocation impossible : la réunion du {FrenchTime.ToFrance(StartsAt):dd/MM/yyyy à HH:mm} a déjà commencé.", "S3");
        if (IsConvocationLate(now) && !lateConfirmed)
            throw new DomainException(
                $"Convocation tardive : la réunion du {FrenchTime.ToFrance(StartsAt):dd/MM/yyyy à HH:mm} a lieu dans moins de 7 jours "
                + $"(convocation au plus tard le {ConvocationDeadline:dd/MM/yyyy}). Confirmez la convocation tardive : elle sera marquée en retard.",
                "S3");
    }
}
