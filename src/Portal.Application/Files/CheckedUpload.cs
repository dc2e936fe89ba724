using Portal.Application.Abstractions;
using Portal.Domain.Common;

namespace Portal.Application.Files;

/// <summary>
/// Saves an upload after checking its type on the content (magic bytes, matching the name) and its size
/// while it streams; refusals are French <see cref="DomainException"/>s naming the rule. Used by the
/// tender documents (O3) and the prescription attachments (P4).
/// </summary>
public static class CheckedUpload
{
    /// <summary>How many leading bytes the type detection reads.</summary>
    public const int HeaderLength = 8;

    public sealed record Messages(string Empty, string WrongType, string TooLarge, string Rule);

    public static async Task<(StoredFile Stored, string ContentType)> SaveAsync(IFileStore files, Stream content, string fileName, long maxBytes,
        DetectType detect, Messages messages, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var read = 0;
        while (read < header.Length)
        {
            var n = await content.ReadAsync(header.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        if (read == 0) throw new DomainException(messages.Empty, messages.Rule);
        var contentType = detect(header.AsSpan(0, read), fileName) ?? throw new DomainException(messages.WrongType, messages.Rule);
        try
        {
            await using var whole = new PrefixedStream(header.AsMemory(0, read), content);
            return (await files.SaveAsync(whole, maxBytes, cancellationToken), contentType);
        }
        catch (FileTooLargeException)
        {
            throw new DomainException(messages.TooLarge, messages.Rule);
        }
    }

    public delegate string? DetectType(ReadOnlySpan<byte> header, string fileName);

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
