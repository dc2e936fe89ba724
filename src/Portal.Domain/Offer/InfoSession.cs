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

    /// <summary>S3: a convocation sent later than 7 days before the meeting is refused.</summary>
    public void EnsureConvocationInTime(DateTimeOffset now)
    {
        if (StartsAt - now < TimeSpan.FromDays(ConvocationNoticeDays))
            throw new DomainException(
                $"Convocation impossible : elle doit être envoyée au plus tard 7 jours avant la réunion du {FrenchTime.ToFrance(StartsAt):dd/MM/yyyy à HH:mm}.",
                "S3");
    }
}
