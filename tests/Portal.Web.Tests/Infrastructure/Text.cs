using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>Reading what a user reads: whitespace collapsed, and no enum name on screen.</summary>
public static partial class Text
{
    private static readonly Regex EnumNames = new(
        $@"\b({string.Join('|', Enum.GetNames<PrescriptionStatus>().Concat(Enum.GetNames<SessionStatus>()).Distinct())})\b",
        RegexOptions.CultureInvariant);

    /// <summary>The element's text as displayed: runs of whitespace become one space, trimmed.</summary>
    public static string Shown(this INode node) => Squash(node.TextContent);

    public static string Squash(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>The enum names (PrescriptionStatus, SessionStatus) found in a text; empty when there is none.</summary>
    public static IReadOnlyList<string> EnumNamesIn(string text) => [.. EnumNames.Matches(text).Select(m => m.Value).Distinct()];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
