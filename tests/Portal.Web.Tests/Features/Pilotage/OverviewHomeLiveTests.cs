using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Arbitrations;
using Portal.Domain.Organisations;
using Portal.Testing;
using Portal.Web.Features.Pilotage;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Pilotage;

/// <summary>S10: the MFE's home counts its open arbitrations live. Own database.</summary>
public sealed class OverviewHomeLiveTests : PortalTestContext
{
    private static int OpenArbitrations(IRenderedComponent<OverviewHome> cut) =>
        int.Parse(cut.FindAll(".mud-grid .mud-paper").First(t => t.Shown().Contains("arbitrages ouverts", StringComparison.Ordinal))
            .QuerySelector("p")!.Shown(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task MfeHome_ACaseOpenedOnItsTerritory_RaisesTheOpenArbitrationsCount_WithoutReload_S10()
    {
        await AuthorizeAsAsync(TestUsers.Aurelie);
        var cut = Render<OverviewHome>(p => p.Add(c => c.Role, Role.Mfe));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        var before = OpenArbitrations(cut);

        // Camille contests Nadia Chevalier's refusal, on a session in Gironde (demo data): the case goes to the MFE du Médoc.
        var camille = await UserAsync(TestUsers.Camille);
        Guid prescription;
        await using (var db = Database.CreateDbContext())
        {
            prescription = await db.AllPrescriptions.Where(p => db.AllCandidates.Any(c => c.Id == p.CandidateId && c.FirstName == "Nadia" && c.LastName == "Chevalier"))
                .Select(p => p.Id).SingleAsync(Cancellation);
        }
        await Services.GetRequiredService<OpenArbitration.Handler>().HandleAsync(new OpenArbitration(prescription, "Le projet est validé par une immersion."), camille, Cancellation);

        cut.WaitForAssertion(() => OpenArbitrations(cut).ShouldBe(before + 1));
    }
}
