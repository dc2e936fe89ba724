using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Common;

namespace Portal.Domain.Candidates;

/// <summary>
/// A7, S7: the personal link a prescriber gives a candidate to follow their own prescriptions. The token
/// (256 random bits, URL-safe) is shown once; only its SHA-256 hash is stored, so a copy of the database
/// opens nothing. The link expires, and the prescriber can revoke it.
/// </summary>
public sealed class CandidateLink : Entity
{
    private const int TokenBytes = 32;

    private CandidateLink() { }

    private CandidateLink(Guid candidateId, string tokenHash, Guid createdBy, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        CandidateId = candidateId;
        TokenHash = tokenHash;
        CreatedByUserId = createdBy;
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid CandidateId { get; private set; }

    /// <summary>SHA-256 of the token, in lower-case hex (the token itself is never stored).</summary>
    public string TokenHash { get; private set; } = "";

    public Guid CreatedByUserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The link opens strictly before this instant.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Creates a link valid for <paramref name="lifetime"/>; <paramref name="token"/> is the only copy of the secret.</summary>
    public static CandidateLink Create(Guid candidateId, Guid createdBy, DateTimeOffset now, TimeSpan lifetime, out string token)
    {
        if (lifetime <= TimeSpan.Zero) throw new DomainException("La durée de validité du lien doit être positive.", "A7");
        token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        return new CandidateLink(candidateId, Hash(token), createdBy, now, now + lifetime);
    }

    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null) throw new DomainException("Ce lien est déjà révoqué.", "A7");
        RevokedAt = now;
    }

    /// <summary>The stored form of a token (also what a presented token is looked up by).</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
