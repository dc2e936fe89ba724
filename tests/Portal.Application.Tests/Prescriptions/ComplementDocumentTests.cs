using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>P8: documents exchanged in the fiche complément, by either side, seen by the two parties only.</summary>
public sealed class ComplementDocumentTests : IAsyncLifetime, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempFileStore _files = new();
    private readonly RecordingNotifier<MessageAdded> _live = new();
    private readonly FakeTimeProvider _clock = new(TestDatabase.DefaultNow);
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    public void Dispose()
    {
        _files.Dispose();
        _live.Dispose();
    }

    private SendComplementDocument.Handler Send => new(_db, _files.Store, _clock, _live.Notifier);

    private GetPrescriptionAttachment.Handler Attachments => new(_db, _files.Store);

    /// <summary>Camille's prescription on Julie's OF, with a fiche complément opened by Camille.</summary>
    private async Task<(CurrentUser Camille, CurrentUser Julie, Guid Prescription)> OpenedThreadAsync()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        Guid prescription;
        await using (var db = _db.CreateDbContext())
        {
            prescription = await db.AllPrescriptions
                .Where(p => p.PrescriberOrganisationId == camille.OrganisationId && p.TrainingBodyId == julie.OrganisationId)
                .Where(p => !db.AllComplementThreads.Any(t => t.PrescriptionId == p.Id))
                .Select(p => p.Id).FirstAsync(Ct);
        }
        await new OpenComplement.Handler(_db, _clock, _live.Notifier).HandleAsync(new OpenComplement(prescription, true, "Besoin d'un aménagement."), camille, Ct);
        return (camille, julie, prescription);
    }

    private static MemoryStream Pdf(string text) => new([.. "%PDF-1.7 "u8.ToArray(), .. System.Text.Encoding.UTF8.GetBytes(text)]);

    [Fact]
    public async Task TheOfSendsADocument_ItArrivesAsAMessageNamingIt_CountsAsAnAnswer_AndThePrescriberDownloadsIt_P8()
    {
        var (camille, julie, prescription) = await OpenedThreadAsync();
        _clock.Advance(TimeSpan.FromHours(2));

        await Send.HandleAsync(new SendComplementDocument(prescription, Pdf("programme"), "programme.pdf"), julie, Ct);

        var thread = await new GetComplementThread.Handler(_db).HandleAsync(new GetComplementThread(prescription), camille, Ct);
        thread.FirstAnsweredAt.ShouldBe(_clock.GetUtcNow());
        var last = thread.Messages[^1];
        last.Side.ShouldBe(ComplementSide.TrainingBody);
        last.Body.ShouldBe("Document joint : programme.pdf");
        last.Document.ShouldNotBeNull().FileName.ShouldBe("programme.pdf");
        thread.Messages[0].Document.ShouldBeNull();
        _live.Published.ShouldContain(e => e.PrescriptionId == prescription && e.MessageId == last.Id);

        var download = await Attachments.HandleAsync(new GetPrescriptionAttachment(prescription, last.Document!.Id), camille, Ct);
        using var reader = new StreamReader(download.Content);
        (await reader.ReadToEndAsync(Ct)).ShouldBe("%PDF-1.7 programme");
    }

    [Fact]
    public async Task AComplementDocument_IsNotAPrescriptionAttachment_AndTheRegionCannotReadIt_P8()
    {
        var (camille, _, prescription) = await OpenedThreadAsync();
        await Send.HandleAsync(new SendComplementDocument(prescription, Pdf("bilan"), "bilan.pdf"), camille, Ct);
        var documentId = (await new GetComplementThread.Handler(_db).HandleAsync(new GetComplementThread(prescription), camille, Ct)).Messages[^1].Document!.Id;

        (await Attachments.ListAsync(prescription, camille, Ct)).ShouldBeEmpty();
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        await Should.ThrowAsync<NotFoundException>(() => Attachments.HandleAsync(new GetPrescriptionAttachment(prescription, documentId), claire, Ct));
        var lucas = await TestUsers.ForAsync(_db, TestUsers.Lucas);
        await Should.ThrowAsync<NotFoundException>(() => Send.HandleAsync(new SendComplementDocument(prescription, Pdf("x"), "x.pdf"), lucas, Ct));
    }

    [Fact]
    public async Task ADocumentBeforeTheThreadIsOpened_OrOfTheWrongType_IsRefusedInFrench_AndNothingIsKept_P8()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        Guid withoutThread;
        await using (var db = _db.CreateDbContext())
        {
            withoutThread = await db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == camille.OrganisationId)
                .Where(p => !db.AllComplementThreads.Any(t => t.PrescriptionId == p.Id)).Select(p => p.Id).FirstAsync(Ct);
        }
        var notOpened = await Should.ThrowAsync<NotFoundException>(() => Send.HandleAsync(new SendComplementDocument(withoutThread, Pdf("a"), "a.pdf"), camille, Ct));
        notOpened.Message.ShouldContain("ouvrez-la d'abord");

        var (_, julie, prescription) = await OpenedThreadAsync();
        var wrongType = await Should.ThrowAsync<DomainException>(() =>
            Send.HandleAsync(new SendComplementDocument(prescription, new MemoryStream([0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0]), "outil.pdf"), julie, Ct));
        wrongType.Rule.ShouldBe("P8");
        wrongType.Message.ShouldBe(AddPrescriptionAttachment.Messages.WrongType);
        _files.Files().ShouldBeEmpty();
        var thread = await new GetComplementThread.Handler(_db).HandleAsync(new GetComplementThread(prescription), julie, Ct);
        thread.Messages.Count.ShouldBe(1);
        thread.FirstAnsweredAt.ShouldBeNull();
    }
}
