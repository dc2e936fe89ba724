using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.Order;

/// <summary>
/// A tender document for download, only when the user may see it at this instant under O3; otherwise
/// "not found" (the same answer as a wrong id, so a withdrawn tender file cannot be probed).
/// The caller disposes <see cref="Download.Content"/>.
/// </summary>
public sealed record GetTenderDocument(Guid DocumentId)
{
    public sealed record Download(Stream Content, string FileName, string ContentType, long Size);

    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock)
    {
        public async Task<Download> HandleAsync(GetTenderDocument query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!OrderAccess.SeesEverything(user) && !OrderAccess.MayConsult(user)) throw new NotFoundException("Document introuvable.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lotId = await db.TenderDocuments.Where(d => d.Id == query.DocumentId).Select(d => (Guid?)d.LotId).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Document introuvable.");
            var lot = await db.OrderLots.AsNoTracking().Include(l => l.Documents).FirstAsync(l => l.Id == lotId, cancellationToken);
            var document = OrderAccess.VisibleDocuments(lot, user, clock.GetUtcNow()).FirstOrDefault(d => d.Id == query.DocumentId)
                ?? throw new NotFoundException("Document introuvable.");
            var content = await files.OpenReadAsync(document.StorageKey, cancellationToken)
                ?? throw new NotFoundException("Document introuvable.");
            return new Download(content, document.FileName, document.ContentType, document.Size);
        }
    }
}
