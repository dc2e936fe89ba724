namespace Portal.Domain.Common;

/// <summary>
/// A charter rule or a lifecycle refused an action. <see cref="Message"/> is French and meant for the
/// user; <see cref="Rule"/> is the charter's rule ID (O7, P6, ...) when one applies.
/// </summary>
public sealed class DomainException(string message, string? rule = null) : Exception(message)
{
    public string? Rule { get; } = rule;
}
