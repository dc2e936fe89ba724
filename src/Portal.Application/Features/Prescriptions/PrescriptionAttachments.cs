using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Order;
using Portal.Application.Files;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// P4: the prescriber sends the OF documents useful to the prescription (PDF or images, at most 5 MB, type
/// checked on the content), stored outside the database. No UI type here: the page hands over a stream.
/// </summary>
public sealed record AddPrescriptionAttachment(Guid PrescriptionId, Stream Content, string FileName)
{
    public static readonly CheckedUpload.Messages Messages = new(
        "Le document est vide.",
        "Type de document non accepté : joignez un PDF ou une image PNG ou JPEG.",
        "Le document dépasse 5 Mo : réduisez-le puis joignez-le à nouveau.",
        "P4");

    /// <summary>PDF, PNG or JPEG only, recognised on the content and matching the name.</summary>
    public static string? Detect(ReadOnlySpan<byte> header, string fileName) =>
        TenderDocumentTypes.Detect(header, fileName) is { } type && PrescriptionAttachment.AllowedContentTypes.Contains(type) ? type : null;

    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock)
    {
        public async Task<Guid> HandleAsync(AddPrescriptionAttachment command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur joint des documents à sa prescription.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.AllPrescriptions.Include(p => p.Attachments)
                .FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var (stored, contentType) = await CheckedUpload.SaveAsync(files, command.Content, command.FileName, PrescriptionAttachment.MaxSize, Detect, Messages, cancellationToken);
            try
            {
                var attachment = prescription.Attach(command.FileName, contentType, stored.Size, stored.Key, user.UserId, clock.GetUtcNow());
                db.AllPrescriptionAttachments.Add(attachment);
                await db.SaveChangesAsync(cancellationToken);
                return attachment.Id;
            }
            catch
            {
                await files.DeleteAsync(stored.Key, CancellationToken.None);
                throw;
            }
        }
    }
}

/// <summary>P4: a document of a prescription, for whoever may see the prescription (AccessScope); otherwise not found.</summary>
public sealed record GetPrescriptionAttachment(Guid PrescriptionId, Guid AttachmentId)
{
    public sealed record Download(Stream Content, string ContentType, string FileName);

    public sealed record Item(Guid Id, string FileName, long Size, DateTimeOffset UploadedAt);

    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files)
    {
        public async Task<Download> HandleAsync(GetPrescriptionAttachment query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            // P8: a document of the fiche complément is for its two parties only (the Région reads prescriptions, not the exchange).
            var attachment = await db.Prescriptions(user)
                .Where(p => p.Id == query.PrescriptionId)
                .Join(db.AllPrescriptionAttachments, p => p.Id, a => a.PrescriptionId, (p, a) => new { p.PrescriberOrganisationId, p.TrainingBodyId, a })
                .Where(x => x.a.Id == query.AttachmentId
                    && (x.a.ComplementMessageId == null || x.PrescriberOrganisationId == user.OrganisationId || x.TrainingBodyId == user.OrganisationId))
                .Select(x => new { x.a.StorageKey, x.a.ContentType, x.a.FileName })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Document introuvable.");
            var stream = await files.OpenReadAsync(attachment.StorageKey, cancellationToken) ?? throw new NotFoundException("Document introuvable.");
            return new Download(stream, attachment.ContentType, attachment.FileName);
        }

        public async Task<IReadOnlyList<Item>> ListAsync(Guid prescriptionId, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Prescriptions(user)
                .Where(p => p.Id == prescriptionId)
                .SelectMany(p => db.AllPrescriptionAttachments.Where(a => a.PrescriptionId == p.Id && a.ComplementMessageId == null))
                .OrderBy(a => a.UploadedAt)
                .Select(a => new Item(a.Id, a.FileName, a.Size, a.UploadedAt))
                .ToListAsync(cancellationToken);
        }
    }
}
