namespace Portal.Domain.Audit;

/// <summary>Issue #14 (2): the kinds of administrative action the audit log records.</summary>
public enum AuditAction
{
    OrganisationCreated = 1,
    OrganisationEdited = 2,
    HabilitationChanged = 3,
    DelegateNamed = 4,
    MfeCoverageChanged = 5,
    AccessAccepted = 6,
    AccessRefused = 7,
    MembershipRoleChanged = 8,
    MembershipEnded = 9,
    UserDeactivated = 10,
    UserReactivated = 11,
    ReferenceListUpdated = 12,
    CandidateErased = 13,
}

public static class AuditActionLabels
{
    public static string Label(this AuditAction action) => action switch
    {
        AuditAction.OrganisationCreated => "Organisation créée",
        AuditAction.OrganisationEdited => "Organisation modifiée",
        AuditAction.HabilitationChanged => "Habilitation changée",
        AuditAction.DelegateNamed => "Correspondant délégué",
        AuditAction.MfeCoverageChanged => "Couverture d'une MFE",
        AuditAction.AccessAccepted => "Demande d'accès acceptée",
        AuditAction.AccessRefused => "Demande d'accès refusée",
        AuditAction.MembershipRoleChanged => "Rôle modifié",
        AuditAction.MembershipEnded => "Rattachement terminé",
        AuditAction.UserDeactivated => "Compte désactivé",
        AuditAction.UserReactivated => "Compte réactivé",
        AuditAction.ReferenceListUpdated => "Référentiel mis à jour",
        AuditAction.CandidateErased => "Données d'un candidat effacées",
        _ => action.ToString(),
    };
}

/// <summary>
/// One line of the audit log: who did what, when, on what, and the state before and after (short text). Written in the
/// same SaveChanges as the change it records, never edited.
/// </summary>
public sealed class AuditEntry
{
    public const int ActorMaxLength = 300;
    public const int TargetMaxLength = 300;
    public const int StateMaxLength = 2000;

    private AuditEntry() { }

    public AuditEntry(DateTimeOffset at, Guid actorId, string actorName, AuditAction action, Guid? targetId, string target,
        string? before, string? after)
    {
        At = at;
        ActorId = actorId;
        ActorName = Cut(actorName, ActorMaxLength) ?? "";
        Action = action;
        TargetId = targetId;
        Target = Cut(target, TargetMaxLength) ?? "";
        Before = Cut(before, StateMaxLength);
        After = Cut(after, StateMaxLength);
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public AuditAction Action { get; private set; }
    public Guid? TargetId { get; private set; }
    public string Target { get; private set; } = "";
    public string? Before { get; private set; }
    public string? After { get; private set; }

    // Written by the portal from values it holds (names, labels): bounded, never refused, so that the change it records is not.
    private static string? Cut(string? text, int max) =>
        text is null ? null : text.Length <= max ? text : text[..(max - 1)] + "…";
}
