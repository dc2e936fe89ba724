using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

public enum AccessRequestStatus
{
    Pending = 0,
    Accepted = 1,
    Refused = 2,
}

/// <summary>
/// Issue #14 (2): a person who logged in but has no active membership asks to join an organisation with a role (one
/// allowed for its kind), with an optional message. The organisation's référent, its correspondant délégué (A2) or the
/// administrator accepts it (the membership is created) or refuses it with a reason the requester reads.
/// One open request per person.
/// </summary>
public sealed class AccessRequest : Entity
{
    public const int MessageMaxLength = 1000;
    public const int ReasonMaxLength = 500;

    private AccessRequest() { }

    public AccessRequest(Guid userId, Organisation organisation, Role role, string? message, DateTimeOffset at)
    {
        if (!Enum.IsDefined(role) || role == Role.Admin || !organisation.Kind.Allows(role))
            throw new DomainException($"Le rôle demandé n'est pas possible dans une organisation de type « {organisation.Kind.Label()} ».");
        TextLimit.Ensure(message, MessageMaxLength, "Le message");
        UserId = userId;
        OrganisationId = organisation.Id;
        Role = role;
        Message = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
        CreatedAt = at;
        Status = AccessRequestStatus.Pending;
    }

    public Guid UserId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Role Role { get; private set; }
    public string? Message { get; private set; }
    public AccessRequestStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DecidedById { get; private set; }
    public string? DecidedByName { get; private set; }
    public string? RefusalReason { get; private set; }

    /// <summary>Optimistic concurrency: two deciders on the same request, the second is told.</summary>
    public int Version { get; private set; }

    public void Accept(DateTimeOffset at, Guid byUserId, string byName)
    {
        EnsurePending();
        Status = AccessRequestStatus.Accepted;
        Decided(at, byUserId, byName);
    }

    public void Refuse(string? reason, DateTimeOffset at, Guid byUserId, string byName)
    {
        EnsurePending();
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Indiquez le motif du refus : la personne le lira.");
        TextLimit.Ensure(reason, ReasonMaxLength, "Le motif du refus");
        Status = AccessRequestStatus.Refused;
        RefusalReason = reason.Trim();
        Decided(at, byUserId, byName);
    }

    private void EnsurePending()
    {
        if (Status != AccessRequestStatus.Pending) throw new DomainException("Cette demande d'accès a déjà été traitée.");
    }

    private void Decided(DateTimeOffset at, Guid byUserId, string byName)
    {
        DecidedAt = at;
        DecidedById = byUserId;
        DecidedByName = byName.Length <= 300 ? byName : byName[..300];
        Version++;
    }
}
