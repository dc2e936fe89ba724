using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>P4: documents attached to a prescription: type checked on the content, size-limited, stored outside the database, scoped.</summary>
public sealed class PrescriptionAttachmentTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempFileStore _files = new();

    public void Dispose() => _files.Dispose();

    private AddPrescriptionAttachment.Handler Add => new(fixture.Database, _files.Store, new FakeTimeProvider(DemoDatabase.SeededAt));

    private async Task<(CurrentUser Camille, Guid Prescription)> CamillesPrescriptionAsync()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        await using var db = fixture.Database.CreateDbContext();
        return (camille, await db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == camille.OrganisationId).Select(p => p.Id).FirstAsync(Ct));
    }

    [Fact]
    public async Task Attach_APdf_StoresItOutsideTheDatabase_AndTheOfCanReadIt_P4()
    {
        var (camille, prescription) = await CamillesPrescriptionAsync();
        var id = await Add.HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream("%PDF-1.7 bilan"u8.ToArray()), "bilan.pdf"), camille, Ct);

        await using var db = fixture.Database.CreateDbContext();
        var stored = await db.AllPrescriptionAttachments.SingleAsync(a => a.Id == id, Ct);
        stored.ContentType.ShouldBe("application/pdf");
        var tb = await db.AllPrescriptions.Where(p => p.Id == prescription).Select(p => p.TrainingBodyId).SingleAsync(Ct);
        var of = (await db.Memberships.Where(m => m.OrganisationId == tb).Select(m => m.UserId).FirstAsync(Ct));
        var ofUser = await TestUsers.ForAsync(fixture.Database, (await db.Users.SingleAsync(u => u.Id == of, Ct)).Email.Split('@')[0]);
        var download = await new GetPrescriptionAttachment.Handler(fixture.Database, _files.Store).HandleAsync(new GetPrescriptionAttachment(prescription, id), ofUser, Ct);
        using var reader = new StreamReader(download.Content);
        (await reader.ReadToEndAsync(Ct)).ShouldBe("%PDF-1.7 bilan");
    }

    [Theory]
    [InlineData("photo.pdf", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1 })]
    [InlineData("script.pdf", new byte[] { 0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0 })]
    [InlineData("tableau.docx", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0 })]
    public async Task Attach_AFileWhoseContentIsNotAPdfOrAnImage_IsRefusedInFrench_P4(string name, byte[] content)
    {
        var (camille, prescription) = await CamillesPrescriptionAsync();
        var ex = await Should.ThrowAsync<DomainException>(() => Add.HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream(content), name), camille, Ct));
        ex.Rule.ShouldBe("P4");
        ex.Message.ShouldBe(AddPrescriptionAttachment.Messages.WrongType);
    }

    [Fact]
    public async Task Attach_MoreThan5Mb_IsRefused_AndNothingIsKept_P4()
    {
        var (camille, prescription) = await CamillesPrescriptionAsync();
        var big = new byte[Portal.Domain.Prescriptions.PrescriptionAttachment.MaxSize + 1];
        "%PDF-"u8.CopyTo(big);
        var ex = await Should.ThrowAsync<DomainException>(() => Add.HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream(big), "gros.pdf"), camille, Ct));
        ex.Message.ShouldBe(AddPrescriptionAttachment.Messages.TooLarge);
        _files.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task Attach_OnAnotherOrganisationsPrescription_IsNotFound_AndReadingIsNotFound()
    {
        var (camille, prescription) = await CamillesPrescriptionAsync();
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        await Should.ThrowAsync<NotFoundException>(() => Add.HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream("%PDF-1"u8.ToArray()), "a.pdf"), lucas, Ct));
        var id = await Add.HandleAsync(new AddPrescriptionAttachment(prescription, new MemoryStream("%PDF-1"u8.ToArray()), "a.pdf"), camille, Ct);
        await Should.ThrowAsync<NotFoundException>(() => new GetPrescriptionAttachment.Handler(fixture.Database, _files.Store).HandleAsync(new GetPrescriptionAttachment(prescription, id), lucas, Ct));
    }
}
