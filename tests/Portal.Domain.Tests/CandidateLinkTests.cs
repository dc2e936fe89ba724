using Portal.Domain.Candidates;
using Portal.Domain.Common;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>A7: the candidate's personal link: unguessable, stored hashed, expiring, revocable.</summary>
public sealed class CandidateLinkTests
{
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);

    [Fact]
    public void Create_GivesA256BitUrlSafeToken_AndStoresOnlyItsHash_A7()
    {
        var link = CandidateLink.Create(Guid.NewGuid(), PrescriberUserId, T0, ThirtyDays, out var token);
        CandidateLink.Create(Guid.NewGuid(), PrescriberUserId, T0, ThirtyDays, out var other);

        token.Length.ShouldBe(43, "32 random bytes in base64url");
        token.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
        token.ShouldNotBe(other);
        link.TokenHash.ShouldBe(CandidateLink.Hash(token));
        link.TokenHash.ShouldNotContain(token);
        link.TokenHash.Length.ShouldBe(64);
    }

    [Fact]
    public void IsValidAt_OpensUntilJustBeforeTheExpiry_A7()
    {
        var link = CandidateLink.Create(Guid.NewGuid(), PrescriberUserId, T0, ThirtyDays, out _);

        link.ExpiresAt.ShouldBe(T0.AddDays(30));
        link.IsValidAt(T0.AddDays(30).AddTicks(-1)).ShouldBeTrue();
        link.IsValidAt(T0.AddDays(30)).ShouldBeFalse();
    }

    [Fact]
    public void Revoke_ClosesTheLinkAtOnce_AndOnlyOnce_A7()
    {
        var link = CandidateLink.Create(Guid.NewGuid(), PrescriberUserId, T0, ThirtyDays, out _);

        link.Revoke(T0.AddDays(1));

        link.IsValidAt(T0.AddDays(1)).ShouldBeFalse();
        Should.Throw<DomainException>(() => link.Revoke(T0.AddDays(2)));
    }
}
