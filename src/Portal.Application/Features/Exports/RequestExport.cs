using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Exports;

namespace Portal.Application.Features.Exports;

/// <summary>
/// Q3, Q4: a list exported as shown, in CSV or XLSX. The list checks the user's scope first (another organisation's
/// ids: NotFound). Up to <see cref="ExportSettings.BackgroundRowThreshold"/> rows it is written at once; above, an
/// <see cref="ExportRequest"/> is queued and <see cref="ExportJob"/> writes it in the background ("Mes exports").
/// </summary>
public sealed record RequestExport(string ListKey, ExportFormat Format, ExportParameters Parameters)
{
    public abstract record Outcome;

    /// <summary>Small enough: the file, written now.</summary>
    public sealed record Inline(string FileName, string ContentType, byte[] Content, int Rows) : Outcome;

    /// <summary>Too large: queued as a background export.</summary>
    public sealed record Queued(Guid ExportId, int Rows) : Outcome;

    public sealed class Handler(
        ListExports lists, IAppDbContextFactory dbFactory, IJobScheduler scheduler, ILiveNotifier notifier, TimeProvider clock,
        ExportSettings settings, ExportWriter writer)
    {
        public async Task<Outcome> HandleAsync(RequestExport command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            var list = lists.Find(command.ListKey);
            var source = await list.OpenAsync(command.Parameters, user, cancellationToken);
            var fileName = source.FileName + ExportWriter.Extension(command.Format);
            if (source.Total <= settings.BackgroundRowThreshold)
            {
                using var buffer = new MemoryStream();
                await writer.WriteAsync(buffer, command.Format, source, source.RowsAsync(settings.PageSize, cancellationToken: cancellationToken), cancellationToken);
                return new Inline(fileName, ExportWriter.ContentType(command.Format), buffer.ToArray(), source.Total);
            }

            var request = new ExportRequest(user.UserId, user.OrganisationId, list.Key, command.Parameters.ToJson(), command.Format,
                source.Title, fileName, source.Total, clock.GetUtcNow(), settings.Retention);
            await using (var db = await dbFactory.CreateAsync(cancellationToken))
            {
                db.AllExportRequests.Add(request);
                await db.SaveChangesAsync(cancellationToken);
            }
            var id = request.Id;
            scheduler.Enqueue<ExportJob>(job => job.RunAsync(id, CancellationToken.None));
            await notifier.PublishAsync(new ExportProgressed(id, user.UserId, ExportStatus.Queued, 0, source.Total), cancellationToken);
            return new Queued(id, source.Total);
        }
    }
}

/// <summary>Every list export of the portal, by key (registered once each, as <see cref="IListExport"/>).</summary>
public sealed class ListExports(IEnumerable<IListExport> exports)
{
    private readonly Dictionary<string, IListExport> _byKey = exports.ToDictionary(e => e.Key, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => _byKey.Keys;

    public IListExport Find(string key) =>
        _byKey.TryGetValue(key, out var list) ? list : throw new NotFoundException($"Liste à exporter inconnue : « {key} ».");
}
