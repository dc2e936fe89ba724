using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Files;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>P8: the prescriber opens a fiche complément on one of their organisation's prescriptions.</summary>
public sealed record OpenComplement(Guid PrescriptionId, bool FragilePublic, string FirstMessage)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(OpenComplement command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur ouvre une fiche complément.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.AllPrescriptions.AsNoTracking()
                .FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            if (await db.AllComplementThreads.AnyAsync(t => t.PrescriptionId == prescription.Id, cancellationToken))
                throw new DomainException("Une fiche complément est déjà ouverte sur cette prescription : écrivez-y.", "P8");
            var thread = new ComplementThread(prescription.Id, user.UserId, command.FragilePublic, command.FirstMessage, clock.GetUtcNow());
            db.AllComplementThreads.Add(thread);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new MessageAdded(prescription.Id, thread.Messages[0].Id, prescription.PrescriberOrganisationId, prescription.TrainingBodyId), cancellationToken);
        }
    }
}

/// <summary>P8: the prescriber or the OF of the session writes in the fiche complément; the other side sees it live.</summary>
public sealed record PostComplementMessage(Guid PrescriptionId, string Body)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(PostComplementMessage command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var (prescription, side) = await ComplementParty.ResolveAsync(db, command.PrescriptionId, user, cancellationToken);
            var thread = await db.AllComplementThreads.FirstOrDefaultAsync(t => t.PrescriptionId == prescription.Id, cancellationToken)
                ?? throw new NotFoundException("Aucune fiche complément n'est ouverte sur cette prescription.");
            var message = thread.Post(user.UserId, side, command.Body, clock.GetUtcNow());
            db.AllComplementMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new MessageAdded(prescription.Id, message.Id, prescription.PrescriberOrganisationId, prescription.TrainingBodyId), cancellationToken);
        }
    }
}

/// <summary>
/// P8: the prescriber or the OF sends a document in the fiche complément (PDF or image, 5 MB at most, type checked
/// on the content, stored outside the database); it arrives as a message naming the file, live on both sides.
/// </summary>
public sealed record SendComplementDocument(Guid PrescriptionId, Stream Content, string FileName)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(SendComplementDocument command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var (prescription, side) = await ComplementParty.ResolveAsync(db, command.PrescriptionId, user, cancellationToken);
            var thread = await db.AllComplementThreads.FirstOrDefaultAsync(t => t.PrescriptionId == prescription.Id, cancellationToken)
                ?? throw new NotFoundException("Aucune fiche complément n'est ouverte sur cette prescription : ouvrez-la d'abord avec un message.");
            var documentsSoFar = await db.AllPrescriptionAttachments.CountAsync(a => a.PrescriptionId == prescription.Id && a.ComplementMessageId != null, cancellationToken);
            var (stored, contentType) = await CheckedUpload.SaveAsync(files, command.Content, command.FileName, PrescriptionAttachment.MaxSize,
                AddPrescriptionAttachment.Detect, AddPrescriptionAttachment.Messages with { Rule = "P8" }, cancellationToken);
            try
            {
                var document = thread.SendDocument(user.UserId, side, command.FileName, contentType, stored.Size, stored.Key, documentsSoFar, clock.GetUtcNow());
                db.AllComplementMessages.Add(document.Message);
                db.AllPrescriptionAttachments.Add(document.Attachment);
                await db.SaveChangesAsync(cancellationToken);
                await notifier.PublishAsync(new MessageAdded(prescription.Id, document.Message.Id, prescription.PrescriberOrganisationId, prescription.TrainingBodyId), cancellationToken);
            }
            catch
            {
                await files.DeleteAsync(stored.Key, CancellationToken.None);
                throw;
            }
        }
    }
}

/// <summary>P8: who writes in a fiche complément: the prescriber's organisation or the session's OF, nobody else.</summary>
internal static class ComplementParty
{
    public static async Task<(Prescription Prescription, ComplementSide Side)> ResolveAsync(IAppDbContext db, Guid prescriptionId, CurrentUser user, CancellationToken cancellationToken)
    {
        var prescription = await db.Prescriptions(user).AsNoTracking().FirstOrDefaultAsync(p => p.Id == prescriptionId, cancellationToken)
            ?? throw new NotFoundException("Prescription introuvable.");
        if (user.Is(Role.OrganismeFormation) && prescription.TrainingBodyId == user.OrganisationId) return (prescription, ComplementSide.TrainingBody);
        if (user.IsPrescriberSide && prescription.PrescriberOrganisationId == user.OrganisationId) return (prescription, ComplementSide.Prescriber);
        throw new AccessDeniedException("Seuls le prescripteur et l'organisme de formation échangent dans la fiche complément.");
    }
}

/// <summary>P8: the fiche complément of a prescription, for the prescriber's organisation and the session's OF only.</summary>
public sealed record GetComplementThread(Guid PrescriptionId)
{
    public sealed record Document(Guid Id, string FileName, long Size);

    public sealed record Message(Guid Id, ComplementSide Side, string AuthorName, DateTimeOffset At, string Body)
    {
        /// <summary>P8: the document this message carries, if any (downloaded through the prescription's attachment endpoint).</summary>
        public Document? Document { get; init; }
    }

    public sealed record Thread(bool Exists, bool FragilePublic, DateTimeOffset? FirstAnsweredAt, IReadOnlyList<Message> Messages);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Thread> HandleAsync(GetComplementThread query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions(user).AsNoTracking()
                .Where(p => p.Id == query.PrescriptionId)
                .Select(p => new { p.Id, p.PrescriberOrganisationId, p.TrainingBodyId })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            // The Région may read prescriptions, but the exchange is between the prescriber and the OF.
            if (prescription.PrescriberOrganisationId != user.OrganisationId && prescription.TrainingBodyId != user.OrganisationId)
                throw new NotFoundException("Prescription introuvable.");
            var thread = await db.AllComplementThreads.AsNoTracking().Where(t => t.PrescriptionId == prescription.Id)
                .Select(t => new { t.Id, t.FragilePublic, t.FirstAnsweredAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (thread is null) return new Thread(false, false, null, []);
            var messages = await db.AllComplementMessages.AsNoTracking()
                .Where(m => m.ThreadId == thread.Id)
                .OrderBy(m => m.At)
                .Select(m => new Message(m.Id, m.Side,
                    db.Users.Where(u => u.Id == m.AuthorUserId).Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefault() ?? "",
                    m.At, m.Body))
                .ToListAsync(cancellationToken);
            // One query for every document of the thread, not one per message.
            var documents = await db.AllPrescriptionAttachments.AsNoTracking()
                .Where(a => a.PrescriptionId == prescription.Id && a.ComplementMessageId != null)
                .Select(a => new { MessageId = a.ComplementMessageId!.Value, Document = new Document(a.Id, a.FileName, a.Size) })
                .ToDictionaryAsync(a => a.MessageId, a => a.Document, cancellationToken);
            messages = [.. messages.Select(m => documents.TryGetValue(m.Id, out var d) ? m with { Document = d } : m)];
            return new Thread(true, thread.FragilePublic, thread.FirstAnsweredAt, messages);
        }
    }
}
