using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Portal.Application.Abstractions;

namespace Portal.Web.Features.Catalogue;

/// <summary>
/// The output cache of the anonymous catalogue pages (issue #12, ADR 0013): <c>/catalogue</c> and <c>/catalogue/{id}</c>
/// are rendered once per address and served from memory to every anonymous visitor until the offer changes. Signed-in
/// requests are neither served from nor stored in it (the framework's default policy, kept under this one), nor are
/// responses other than 200 or that set a cookie.
/// </summary>
public static class CatalogueOutputCache
{
    public const string PolicyName = "catalogue";

    /// <summary>The tag of every cached catalogue page, evicted as one when the offer changes.</summary>
    public const string Tag = "catalogue";

    /// <summary>
    /// The longest a page stays cached without an event: what no event announces (a session's first day passing at
    /// midnight) shows within this time.
    /// </summary>
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(5);

    /// <summary>The query parameters of a catalogue search (<see cref="CatalogueUrl"/>): one entry per search and page.</summary>
    private static readonly string[] SearchParameters = ["q", "metier", "commune", "rayon", "du", "au", "entree", "page"];

    public static IServiceCollection AddCatalogueOutputCache(this IServiceCollection services)
    {
        services.AddOutputCache(o => o.AddPolicy(PolicyName, policy => policy
            .Expire(Expiration)
            .SetVaryByQuery(SearchParameters)
            // Blazor's enhanced navigation fetches the same address with its own Accept header: keep both answers apart.
            .VaryByValue(ctx => new("enhanced-nav", IsEnhancedNavigation(ctx.Request) ? "1" : "0"))
            .Tag(Tag)));
        services.AddHostedService<CatalogueCacheEviction>();
        CataloguePagesAntiforgery.Decorate(services);
        return services;
    }

    private static bool IsEnhancedNavigation(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("blazor-enhanced-nav", StringComparison.Ordinal) == true);
}

/// <summary>
/// Evicts the cached catalogue pages when a live event says the offer changed: a session's open places or status (O8),
/// a fiche's status (O2: validated, returned), a session's information meetings (shown on the fiche's page). Events from
/// other servers arrive through the notifier's backplane, so every server evicts its own cache; a <see cref="LiveResync"/>
/// (events possibly missed, ADR 0023) evicts it too.
/// </summary>
/// <remarks>
/// A page that was being rendered with the old figures while the change was committed could be stored just after the
/// eviction: a second eviction a moment later removes it, so such a page never outlives the change by more than
/// <see cref="SecondEvictionDelay"/> (and never more than <see cref="CatalogueOutputCache.Expiration"/>).
/// </remarks>
public sealed class CatalogueCacheEviction(ILiveNotifier notifier, IOutputCacheStore store, TimeProvider clock, ILogger<CatalogueCacheEviction> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan SecondEvictionDelay = TimeSpan.FromSeconds(2);

    private readonly List<IDisposable> _subscriptions = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _secondEvictionPending;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_subscriptions)
        {
            _subscriptions.Add(notifier.Subscribe<SessionPlacesChanged>(_ => EvictAsync()));
            _subscriptions.Add(notifier.Subscribe<FicheStatusChanged>(_ => EvictAsync()));
            _subscriptions.Add(notifier.Subscribe<InfoSessionsChanged>(_ => EvictAsync()));
            // ADR 0023: events may have been missed (a backplane reconnection, an event too large to carry): start afresh.
            _subscriptions.Add(notifier.Subscribe<LiveResync>(_ => EvictAsync()));
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop its services twice, even at the same time (WebApplicationFactory on Kestrel does when disposed):
        // each call takes the subscriptions left, so that none is disposed twice and no call enumerates a list another clears.
        IDisposable[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscriptions) subscription.Dispose();
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already (a host stopped after its services were disposed, seen with two hosts in one test): nothing left to cancel.
        }
    }

    private async Task EvictAsync()
    {
        await store.EvictByTagAsync(CatalogueOutputCache.Tag, _stopping.Token);
        if (Interlocked.Exchange(ref _secondEvictionPending, 1) == 0) _ = EvictAgainLaterAsync();
    }

    private async Task EvictAgainLaterAsync()
    {
        try
        {
            await Task.Delay(SecondEvictionDelay, clock, _stopping.Token);
            Interlocked.Exchange(ref _secondEvictionPending, 0);
            await store.EvictByTagAsync(CatalogueOutputCache.Tag, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref _secondEvictionPending, 0);
            logger.LogWarning(ex, "The catalogue's output cache could not be evicted");
        }
    }

    public void Dispose() => _stopping.Dispose();
}

/// <summary>
/// Keeps the anonymous catalogue pages free of an antiforgery cookie, so that the output cache may store them (it
/// never stores a response that sets a cookie). Blazor persists an antiforgery token into every full page it renders,
/// static ones included, for a circuit the page might start later; these pages hold no form to post and start no
/// circuit, and a signed-in visitor (never cached) still gets the token as before.
/// </summary>
internal sealed class CataloguePagesAntiforgery(IAntiforgery inner) : IAntiforgery
{
    public static void Decorate(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IAntiforgery))
            ?? throw new InvalidOperationException("AddRazorComponents registers the antiforgery services before the catalogue's output cache.");
        services.Remove(descriptor);
        services.Add(ServiceDescriptor.Describe(typeof(IAntiforgery), sp => new CataloguePagesAntiforgery(Inner(sp, descriptor)), descriptor.Lifetime));
    }

    private static IAntiforgery Inner(IServiceProvider services, ServiceDescriptor descriptor) => (IAntiforgery)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>An anonymous GET of a page under the catalogue's cache policy.</summary>
    internal static bool IsCacheableCataloguePage(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.User.Identity?.IsAuthenticated != true
        && context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>()?.PolicyName == CatalogueOutputCache.PolicyName;

    public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext) =>
        IsCacheableCataloguePage(httpContext) ? NoToken() : inner.GetAndStoreTokens(httpContext);

    public AntiforgeryTokenSet GetTokens(HttpContext httpContext) =>
        IsCacheableCataloguePage(httpContext) ? NoToken() : inner.GetTokens(httpContext);

    public Task<bool> IsRequestValidAsync(HttpContext httpContext) => inner.IsRequestValidAsync(httpContext);

    public Task ValidateRequestAsync(HttpContext httpContext) => inner.ValidateRequestAsync(httpContext);

    public void SetCookieTokenAndHeader(HttpContext httpContext) => inner.SetCookieTokenAndHeader(httpContext);

    private static AntiforgeryTokenSet NoToken() => new(null, null, "__RequestVerificationToken", null);
}
