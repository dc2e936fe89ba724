using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
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

            // Read the header for the type check, then hand the whole content (header included) to the store.
            var header = new byte[TenderDocumentTypes.HeaderLength];
            var read = await ReadHeaderAsync(command.Content, header, cancellationToken);
            if (read == 0) throw OrderAccess.Refusal(Empty);
            var contentType = TenderDocumentTypes.Detect(header.AsSpan(0, read), command.FileName)
                ?? throw OrderAccess.Refusal(TenderDocumentTypes.Refusal);

            StoredFile stored;
            try
            {
                await using var whole = new PrefixedStream(header.AsMemory(0, read), command.Content);
                stored = await files.SaveAsync(whole, TenderDocument.MaxSize, cancellationToken);
            }
            catch (FileTooLargeException)
            {
                throw OrderAccess.Refusal(TooLarge);
            }

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

        private static async Task<int> ReadHeaderAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (n == 0) break;
                total += n;
            }
            return total;
        }
    }

    /// <summary>Reads <c>prefix</c> then the rest of <c>inner</c>: the header already read, without buffering the file.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return inner.Read(buffer);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty) return inner.ReadAsync(buffer, cancellationToken);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer.Span);
            _prefix = _prefix[n..];
            return ValueTask.FromResult(n);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
