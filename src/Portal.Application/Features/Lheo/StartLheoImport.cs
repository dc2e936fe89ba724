using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Lheo;

/// <summary>
/// The import screen's use case: keeps the uploaded file and enqueues <see cref="ImportLheoJob"/> (an import is
/// longer than a click, ARCHITECTURE rule 8). Its progress and result come back as <see cref="LheoImportProgress"/>.
/// </summary>
/// <param name="ImportId">Chosen by the caller, so that it can listen for the job's progress before the job starts.</param>
public sealed record StartLheoImport(Guid ImportId, Stream Content)
{
    /// <summary>The largest file the screen accepts.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    public sealed class Handler(ILheoImportStore store, IJobScheduler scheduler)
    {
        public async Task<Guid> HandleAsync(StartLheoImport command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Admin) && !user.Is(Role.OrganismeFormation))
                throw new AccessDeniedException("Seuls un administrateur ou un organisme de formation peuvent importer une offre LHEO.");
            var importId = command.ImportId;
            await store.SaveAsync(importId, command.Content, cancellationToken);
            var scope = ImportLheo.Handler.ScopeOf(user);
            var userId = user.UserId;
            scheduler.Enqueue<ImportLheoJob>(job => job.RunAsync(importId, userId, scope, CancellationToken.None));
            return importId;
        }
    }
}
