using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Files;
using Portal.Application.Security;
using Portal.Domain.Order;

namespace Portal.Application.Features.Order;

/// <summary>
/// O3: the Région uploads a document of a lot, the tender file (DCE) or an annex. The type is checked on
/// the content (magic bytes) and must match the name; the size is at most <see cref="TenderDocument.MaxSize"/>.
/// No UI type here: the page turns its upload into a stream, a name and the declared content type.
/// </summary>
public sealed record AddTenderDocument(Guid LotId, TenderDocumentKind Kind, Stream Content, string FileName, string DeclaredContentType)
{
    public const string TooLarge = "Le document dépasse 10 Mo : réduisez-le (PDF compressé, images moins lourdes) puis déposez-le à nouveau.";
    public const string Empty = "Le document est vide.";

    public sealed record Result(Guid DocumentId, string FileName, string ContentType, long Size);

    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(AddTenderDocument command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrderAccess.RequireRegion(user);
            if (string.IsNullOrWhiteSpace(command.FileName)) throw OrderAccess.Refusal("Le nom du document est obligatoire.");
            if (!Enum.IsDefined(command.Kind)) throw OrderAccess.Refusal("Précisez s'il s'agit du dossier de consultation ou d'une annexe.");

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lot = await db.OrderLots.Include(l => l.Documents).FirstOrDefaultAsync(l => l.Id == command.LotId, cancellationToken)
                ?? throw new NotFoundException("Lot introuvable.");
            if (lot.Status == LotStatus.Awarded)
                throw OrderAccess.Refusal("Le lot est attribué : ses documents de consultation ne se modifient plus.");

            var (stored, contentType) = await CheckedUpload.SaveAsync(files, command.Content, command.FileName, TenderDocument.MaxSize,
                TenderDocumentTypes.Detect, new CheckedUpload.Messages(Empty, TenderDocumentTypes.Refusal, TooLarge, "O3"), cancellationToken);

            try
            {
                var document = lot.AddDocument(command.Kind, command.FileName, contentType, stored.Size, stored.Key, clock.GetUtcNow());
                // Its id is set by the domain: without this, change detection would take it for an existing row (an UPDATE).
                db.TenderDocuments.Add(document);
                await db.SaveChangesAsync(cancellationToken);
                return new Result(document.Id, document.FileName, document.ContentType, document.Size);
            }
            catch
            {
                // Nothing recorded: no orphan file either.
                await files.DeleteAsync(stored.Key, CancellationToken.None);
                throw;
            }
        }
    }
}
