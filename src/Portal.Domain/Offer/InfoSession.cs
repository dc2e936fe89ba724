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
        if (string.IsNullOrWhiteSpace(place)) throw new DomainException("Le lieu de l'information collective est obligatoire.", "S3");
        SessionId = sessionId;
        Kind = kind;
        StartsAt = startsAt;
        Place = place.Trim();
        WhatToBring = whatToBring.Trim();
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
