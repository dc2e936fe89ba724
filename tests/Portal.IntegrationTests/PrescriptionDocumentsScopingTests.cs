using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// P4, P8 and personal data: a prescription's attachments and its fiche complément are served only to those who
/// may see the prescription; another organisation guessing the ids gets 404, never the bytes or the messages.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PrescriptionDocumentsScopingTests(PortalFactory factory)
{
    private static readonly byte[] Pdf = [.. "%PDF-1.4\n% bilan de positionnement\n"u8];

    private async Task<(Guid Prescription, Guid Attachment)> CamillesPrescriptionWithADocumentAndAThreadAsync()
    {
        var database = factory.Services.GetRequiredService<Portal.Application.Abstractions.IAppDbContextFactory>();
        CurrentUser camille;
        Guid prescription;
        await using (var db = await database.CreateAsync())
        {
            var email = Portal.Infrastructure.Seed.DemoData.Email("camille.durand");
            var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
            var org = await db.Organisations.SingleAsync(o => o.Id == user.Memberships.First().OrganisationId);
            camille = new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId, user.Memberships.Select(m => m.Role).ToHashSet());
            var active = Portal.Domain.Prescriptions.PrescriptionLifecycle.Active;
            prescription = await db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == org.Id && active.Contains(p.Status)
                    && !db.AllComplementThreads.Any(t => t.PrescriptionId == p.Id))
                .Select(p => p.Id).FirstAsync();
        }
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<OpenComplement.Handler>().HandleAsync(new OpenComplement(prescription, true, "Merci d'appeler la candidate."), camille);
        var attachment = await scope.ServiceProvider.GetRequiredService<AddPrescriptionAttachment.Handler>()
            .HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream(Pdf), "bilan.pdf"), camille);
        return (prescription, attachment);
    }

    [Fact]
    public async Task Attachment_IsServedToTheOrganisation_AndIs404ForAnotherOne_P4()
    {
        var (prescription, attachment) = await CamillesPrescriptionWithADocumentAndAThreadAsync();
        var url = $"/api/prescriptions/{prescription}/attachments/{attachment}";

        var camille = await factory.LoggedInAsync("camille.durand");
        var ok = await camille.GetAsync(url);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ok.Content.ReadAsByteArrayAsync()).ShouldBe(Pdf);
        ok.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");

        var lucas = await factory.LoggedInAsync("lucas.martin");
        var refused = await lucas.GetAsync(url);
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("PDF");
        (await factory.CreateBrowser().GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ComplementThread_IsReadByTheOrganisation_AndIs404ForAnotherOne_P8()
    {
        var (prescription, _) = await CamillesPrescriptionWithADocumentAndAThreadAsync();
        var camille = await factory.LoggedInAsync("camille.durand");
        (await camille.GetStringAsync($"/api/prescriptions/{prescription}/complement")).ShouldContain("Merci d'appeler la candidate.");
        var lucas = await factory.LoggedInAsync("lucas.martin");
        var refused = await lucas.GetAsync($"/api/prescriptions/{prescription}/complement");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Merci d'appeler");
    }
}
