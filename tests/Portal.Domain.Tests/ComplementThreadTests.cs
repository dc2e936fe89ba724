using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Domain.Tests;

/// <summary>P8: the fiche complément's documents.</summary>
public sealed class ComplementThreadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SendDocument_TheOfsDocument_IsAMessageCarryingIt_AndAnswersTheThread_P8()
    {
        var thread = new ComplementThread(Guid.NewGuid(), Guid.NewGuid(), fragilePublic: true, "Merci d'appeler avant l'IC.", Now);

        var doc = thread.SendDocument(Guid.NewGuid(), ComplementSide.TrainingBody, "plan d'accès.pdf", "application/pdf", 1200, "k1", documentsSoFar: 0, Now.AddHours(1));

        doc.Attachment.ComplementMessageId.ShouldBe(doc.Message.Id);
        doc.Attachment.PrescriptionId.ShouldBe(thread.PrescriptionId);
        doc.Message.Body.ShouldBe("Document joint : plan d'accès.pdf");
        thread.FirstAnsweredAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void SendDocument_BeyondTheLimit_OrOfAForbiddenType_IsRefused_AndNoMessageIsAdded_P8()
    {
        var thread = new ComplementThread(Guid.NewGuid(), Guid.NewGuid(), fragilePublic: false, "Bonjour", Now);

        Should.Throw<DomainException>(() => thread.SendDocument(Guid.NewGuid(), ComplementSide.Prescriber, "cv.pdf", "application/pdf", 10, "k",
            PrescriptionAttachment.MaxPerComplement, Now)).Rule.ShouldBe("P8");
        Should.Throw<DomainException>(() => thread.SendDocument(Guid.NewGuid(), ComplementSide.Prescriber, "cv.docx", "application/msword", 10, "k", 0, Now));
        thread.Messages.Count.ShouldBe(1);

        thread.SendDocument(Guid.NewGuid(), ComplementSide.Prescriber, "cv.pdf", "application/pdf", 10, "k", PrescriptionAttachment.MaxPerComplement - 1, Now);
        thread.Messages.Count.ShouldBe(2);
    }
}
