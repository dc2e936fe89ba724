using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

/// <summary>A person who logs in. Matched to the identity provider by <see cref="Subject"/>, else by e-mail.</summary>
public sealed class AppUser : Entity
{
    private readonly List<Membership> _memberships = [];

    private AppUser() { }

    public AppUser(string email, string givenName, string familyName, string? subject = null)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
            throw new DomainException("L'adresse e-mail est invalide.");
        Email = email.Trim().ToLowerInvariant();
        // The names come from the identity provider, not from a form of the portal: bounded, not refused.
        GivenName = Bounded(givenName);
        FamilyName = Bounded(familyName);
        Subject = subject;
        IsActive = true;
    }

    public string? Subject { get; private set; }
    public string Email { get; private set; } = "";
    public string GivenName { get; private set; } = "";
    public string FamilyName { get; private set; } = "";
    public bool IsActive { get; private set; }
    public bool EmailNotifications { get; private set; } = true;
    public IReadOnlyCollection<Membership> Memberships => _memberships;

    /// <summary>Issue #15 (5): the longest given or family name kept.</summary>
    public const int MaxNameLength = 200;

    private static string Bounded(string name)
    {
        var trimmed = name.Trim();
        return trimmed.Length <= MaxNameLength ? trimmed : trimmed[..MaxNameLength];
    }

    public string DisplayName => $"{GivenName} {FamilyName}".Trim();

    /// <summary>Binds an external identity to this user (first login through a real provider).</summary>
    public void BindSubject(string subject)
    {
        if (Subject is not null && Subject != subject)
            throw new DomainException("Ce compte est déjà lié à une autre identité.");
        Subject = subject;
    }

    public Membership Join(Organisation organisation, Role role)
    {
        if (!organisation.Kind.Allows(role))
            throw new DomainException($"Le rôle « {role.Label()} » n'est pas possible dans une organisation de type « {organisation.Kind.Label()} ».");
        if (_memberships.Any(m => m.OrganisationId == organisation.Id && m.Role == role))
            throw new DomainException("Cette personne a déjà ce rôle dans cette organisation.");
        var membership = new Membership(Id, organisation.Id, role);
        _memberships.Add(membership);
        return membership;
    }

    public void Deactivate() => IsActive = false;

    /// <summary>Issue #14 (2): the administrator lets a deactivated person in again (their memberships are as they were).</summary>
    public void Reactivate() => IsActive = true;

    /// <summary>Issue #14 (2): one of this person's memberships takes another role, one its organisation's kind allows.</summary>
    public void ChangeRole(Guid membershipId, Organisation organisation, Role role)
    {
        var membership = _memberships.FirstOrDefault(m => m.Id == membershipId)
            ?? throw new DomainException("Ce rattachement n'existe plus.");
        if (membership.OrganisationId != organisation.Id) throw new DomainException("Ce rattachement n'est pas dans cette organisation.");
        if (membership.Role == role) throw new DomainException("La personne a déjà ce rôle.");
        if (!Enum.IsDefined(role) || !organisation.Kind.Allows(role))
            throw new DomainException($"Le rôle « {role.Label()} » n'est pas possible dans une organisation de type « {organisation.Kind.Label()} ».");
        if (_memberships.Any(m => m.OrganisationId == organisation.Id && m.Role == role))
            throw new DomainException("Cette personne a déjà ce rôle dans cette organisation.");
        membership.Role = role;
    }

    /// <summary>Issue #14 (2): a membership ends (the row goes; the audit log keeps what it was).</summary>
    public Membership Leave(Guid membershipId)
    {
        var membership = _memberships.FirstOrDefault(m => m.Id == membershipId)
            ?? throw new DomainException("Ce rattachement n'existe plus.");
        _memberships.Remove(membership);
        return membership;
    }

    public void SetEmailNotifications(bool enabled) => EmailNotifications = enabled;
}

public sealed class Membership : Entity
{
    private Membership() { }

    internal Membership(Guid userId, Guid organisationId, Role role)
    {
        UserId = userId;
        OrganisationId = organisationId;
        Role = role;
    }

    public Guid UserId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Role Role { get; internal set; }
}
