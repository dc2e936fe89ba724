using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class CandidateTests
{
    private static readonly DateOnly BirthDate = new(2000, 6, 15);

    [Fact]
    public void Create_KeepsItsData_Trimmed()
    {
        var clock = new FakeTimeProvider(T0);

        var c = new Candidate(PrescriberOrganisationId, PrescriberUserId, " Léa ", " Martin ", BirthDate, " 33063 ",
            clock.GetUtcNow());

        c.OrganisationId.ShouldBe(PrescriberOrganisationId);
        c.ReferentUserId.ShouldBe(PrescriberUserId);
        c.FirstName.ShouldBe("Léa");
        c.LastName.ShouldBe("Martin");
        c.DisplayName.ShouldBe("Léa Martin");
        c.BirthDate.ShouldBe(BirthDate);
        c.CommuneInsee.ShouldBe("33063");
        c.CreatedAt.ShouldBe(T0);
        c.LastActivityAt.ShouldBe(T0);
        c.IsPseudonymised.ShouldBeFalse();
    }

    [Fact]
    public void Identity_ContactAndSituation_LongerThanTheirLimit_AreRefusedInFrench_AndNothingChanges_Issue15()
    {
        var c = new Candidate(PrescriberOrganisationId, PrescriberUserId, "Léa", "Martin", BirthDate, "33063", T0);
        var tenThousand = new string('a', 10_000);

        // Limits by hand: names 100, e-mail 254, phone 30, France Travail id 20, education level 100 characters.
        Should.Throw<DomainException>(() => c.SetIdentity(tenThousand, "Martin", BirthDate, "33063", T0)).Message.ShouldBe("Le prénom ne peut pas dépasser 100 caractères.");
        Should.Throw<DomainException>(() => c.SetIdentity("Léa", new string('b', 101), BirthDate, "33063", T0)).Message.ShouldBe("Le nom ne peut pas dépasser 100 caractères.");
        Should.NotThrow(() => c.SetIdentity(new string('c', 100), "Martin", BirthDate, "33063", T0));
        c.FirstName.Length.ShouldBe(100);
        Should.Throw<DomainException>(() => c.SetContact(new string('d', 250) + "@x.fr", null)).Message.ShouldBe("L'adresse e-mail ne peut pas dépasser 254 caractères.");
        Should.Throw<DomainException>(() => c.SetContact(null, new string('0', 31))).Message.ShouldBe("Le téléphone ne peut pas dépasser 30 caractères.");
        Should.Throw<DomainException>(() => c.SetSituation(false, false, false, false, null, new string('1', 21))).Message.ShouldBe("L'identifiant France Travail ne peut pas dépasser 20 caractères.");
        Should.Throw<DomainException>(() => c.SetSituation(false, false, false, false, tenThousand, null)).Message.ShouldBe("Le niveau de formation ne peut pas dépasser 100 caractères.");
        (c.Email, c.Phone, c.FranceTravailId, c.EducationLevel).ShouldBe((null, null, null, null));
    }

    [Theory]
    [InlineData("", "Martin", "33063", "prénom")]
    [InlineData("Léa", " ", "33063", "nom")]
    [InlineData("Léa", "Martin", "", "commune")]
    public void Create_WithAMissingField_IsRefused(string first, string last, string commune, string named)
    {
        Should.Throw<DomainException>(() =>
                new Candidate(PrescriberOrganisationId, PrescriberUserId, first, last, BirthDate, commune, T0))
            .Message.ShouldContain(named);
    }

    [Fact]
    public void Create_BornTomorrow_IsRefused()
    {
        var clock = new FakeTimeProvider(T0);
        var tomorrow = DateOnly.FromDateTime(T0.UtcDateTime).AddDays(1);

        Should.Throw<DomainException>(() => CandidateBornOn(tomorrow, clock.GetUtcNow())).Message.ShouldContain("futur");
    }

    [Fact]
    public void Create_BornToday_IsAccepted()
    {
        var clock = new FakeTimeProvider(T0);
        var today = DateOnly.FromDateTime(T0.UtcDateTime);

        CandidateBornOn(today, clock.GetUtcNow()).AgeOn(today).ShouldBe(0);
    }

    [Theory]
    [InlineData(2025, 6, 15, 25)]
    [InlineData(2026, 6, 14, 25)]
    [InlineData(2026, 6, 15, 26)]
    [InlineData(2026, 6, 16, 26)]
    [InlineData(2027, 6, 14, 26)]
    public void AgeOn_CountsCompletedYears(int y, int m, int d, int expected)
    {
        CandidateBornOn(BirthDate).AgeOn(new DateOnly(y, m, d)).ShouldBe(expected);
    }

    [Fact]
    public void IsUnder26_TheDayBeforeThe26thBirthday_IsTrue_Q3()
    {
        CandidateBornOn(BirthDate).IsUnder26(new DateOnly(2026, 6, 14)).ShouldBeTrue();
    }

    [Fact]
    public void IsUnder26_OnThe26thBirthday_IsFalse_Q3()
    {
        CandidateBornOn(BirthDate).IsUnder26(new DateOnly(2026, 6, 15)).ShouldBeFalse();
    }

    [Fact]
    public void IsUnder26_TheDayAfterThe26thBirthday_IsFalse_Q3()
    {
        CandidateBornOn(BirthDate).IsUnder26(new DateOnly(2026, 6, 16)).ShouldBeFalse();
    }

    [Fact]
    public void IsUnder26_BornOnALeapDay_Turns26OnTheFirstOfMarch_Q3()
    {
        var c = CandidateBornOn(new DateOnly(2000, 2, 29));

        c.IsUnder26(new DateOnly(2026, 2, 28)).ShouldBeTrue();
        c.IsUnder26(new DateOnly(2026, 3, 1)).ShouldBeFalse();
    }

    [Fact]
    public void IsUnder26_DependsOnTheDayAsked_NotOnCreation_Q3()
    {
        var c = CandidateBornOn(BirthDate, new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

        c.IsUnder26(new DateOnly(2026, 6, 1)).ShouldBeTrue();
        c.IsUnder26(new DateOnly(2026, 7, 1)).ShouldBeFalse();
    }

    [Fact]
    public void SetContact_KeepsTrimmedValues_AndBlanksBecomeNull()
    {
        var c = CandidateBornOn(BirthDate);

        c.SetContact(" lea.martin@example.fr ", " 06 12 34 56 78 ");
        c.Email.ShouldBe("lea.martin@example.fr");
        c.Phone.ShouldBe("06 12 34 56 78");

        c.SetContact("", "  ");
        c.Email.ShouldBeNull();
        c.Phone.ShouldBeNull();
    }

    [Fact]
    public void SetContact_WithAnInvalidEmail_IsRefused()
    {
        var c = CandidateBornOn(BirthDate);
        c.SetContact("lea@example.fr", null);

        Should.Throw<DomainException>(() => c.SetContact("lea.example.fr", null)).Message.ShouldContain("e-mail");
        c.Email.ShouldBe("lea@example.fr");
    }

    [Fact]
    public void SetSituation_RecordsTheAccessObservatoryFlags_Q3()
    {
        var c = CandidateBornOn(BirthDate);

        c.SetSituation(rqth: true, qpv: true, rural: false, minimumSocialBenefits: true, "Niveau 3 (CAP)", "1234567A");

        c.Rqth.ShouldBeTrue();
        c.Qpv.ShouldBeTrue();
        c.Rural.ShouldBeFalse();
        c.MinimumSocialBenefits.ShouldBeTrue();
        c.EducationLevel.ShouldBe("Niveau 3 (CAP)");
        c.FranceTravailId.ShouldBe("1234567A");
    }

    [Fact]
    public void Touch_MovesTheLastActivity()
    {
        var clock = new FakeTimeProvider(T0);
        var c = CandidateBornOn(BirthDate, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(30));

        c.Touch(clock.GetUtcNow());

        c.LastActivityAt.ShouldBe(T0.AddDays(30));
        c.CreatedAt.ShouldBe(T0);
    }
}
