using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Portal.Application;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Organisations;
using Portal.Infrastructure.Live;
using Portal.Testing;
using Portal.Web.Auth;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The bUnit base class of the portal (ARCHITECTURE rule 10): MudBlazor with zero transitions, loose JS
/// interop, a fake authentication state, a <see cref="FakeTimeProvider"/>, a real migrated SQLite database
/// seeded with the demo data, the real Application handlers and the real live notifier.
/// </summary>
/// <remarks>
/// Pass a <see cref="DemoDatabase"/> class fixture to share one database between the tests of a class
/// that only read it; without one, each test gets its own database (for tests that change rows).
/// </remarks>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    private static readonly Lazy<IServiceProvider> PolicyEvaluator = new(() => new ServiceCollection()
        .AddLogging()
        .AddAuthorizationCore(PortalPolicies.Configure)
        .BuildServiceProvider());

    private readonly DemoDatabase? _shared;
    private TestDatabase? _database;

    protected PortalTestContext(DemoDatabase? shared = null)
    {
        _shared = shared;
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Two busy cores: give WaitForAssertion room (it returns as soon as the assertion holds).
        DefaultWaitTimeout = TimeSpan.FromSeconds(5);

        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddLogging();
        Services.AddSingleton<TimeProvider>(Clock);
        // Through a non-disposable forwarder: the container disposes what its factories create, and a
        // shared database must outlive this test's container.
        Services.AddSingleton<IAppDbContextFactory>(_ => new DatabaseForwarder(() => Database));
        Services.AddPortalApplication();
        Services.AddSingleton<ILiveBackplane, InProcessBackplane>();
        Services.AddSingleton<LiveNotifier>();
        Services.AddSingleton<ILiveNotifier>(sp => sp.GetRequiredService<LiveNotifier>());
        Services.AddScoped<CurrentUserAccessor>();
        // The layout asks whether the circuit's session was ended (ADR 0018).
        Services.AddScoped<SessionEndedState>();
        Services.AddSingleton<IFileStore>(_ => Files.Store);
        Services.AddSingleton<AntiforgeryStateProvider, FakeAntiforgeryStateProvider>();
        // Handlers that alert by e-mail (A2: the habilitation's alert) send to this recorder.
        Services.AddSingleton<IMailSender>(Mails);
        // Jobs a handler enqueues (A2: the habilitation's alert) run at once, in process.
        Services.AddSingleton<IJobScheduler>(sp => new InlineJobScheduler(sp.GetRequiredService));
        // The links in those e-mails (issue #14 (2): the access request's mail to its deciders).
        Services.AddSingleton(new Portal.Application.Features.Notifications.PortalLinks("https://portail.exemple.fr"));
        // Issue #14 (4): the retention settings, as the test sets them before the first screen asks for them.
        Services.AddSingleton(_ => PersonalData);

        // Anonymous until a test authenticates.
        Authorization = AddAuthorization();
    }

    /// <summary>The clock of the app under test, at the instant the demo data was seeded.</summary>
    protected FakeTimeProvider Clock { get; } = new(TestDatabase.DefaultNow);

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>The retention settings the screens read (the defaults unless a test sets others before rendering).</summary>
    protected Portal.Application.Features.PersonalData.PersonalDataSettings PersonalData { get; set; } = new();

    /// <summary>The e-mails the handlers under test sent.</summary>
    protected RecordingMailSender Mails { get; } = new();

    public sealed class RecordingMailSender : IMailSender
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<OutgoingMail> _sent = new();

        public IReadOnlyCollection<OutgoingMail> Sent => _sent;

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            _sent.Enqueue(mail);
            return Task.CompletedTask;
        }
    }

    /// <summary>Uploaded files of this test (the real filesystem store, in a temporary folder).</summary>
    protected TempFileStore Files { get; } = new();

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("InitializeAsync has not run yet.");

    /// <summary>The app's singleton live notifier (publish through it as a handler or another server would).</summary>
    protected LiveNotifier Notifier => Services.GetRequiredService<LiveNotifier>();

    /// <summary>The running test's cancellation token (xUnit1051).</summary>
    protected static CancellationToken Cancellation => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Runs after the constructors, so derived classes may still register services there.</summary>
    public virtual async ValueTask InitializeAsync()
    {
        _database = _shared?.Database ?? await TestDatabase.CreateAsync();
        // MainLayout reads RendererInfo: render as an interactive Blazor Server circuit does.
        // (This builds the service provider: no service can be added afterwards.)
        SetRendererInfo(new RendererInfo("Server", true));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        // Components first (they hold live subscriptions), then the services, then the private database.
        await base.DisposeAsyncCore();
        if (_shared is null && _database is not null) await _database.DisposeAsync();
        Files.Dispose();
    }

    /// <summary>The <see cref="CurrentUser"/> of a demo account (see <see cref="TestUsers"/>), for calling handlers directly.</summary>
    protected Task<CurrentUser> UserAsync(string demoAccount) => TestUsers.ForAsync(Database, demoAccount);

    /// <summary>
    /// Signs in as a demo account: the name and the portal's claims that the OIDC login adds (AuthSetup),
    /// and the policies that <see cref="PortalPolicies"/> grants to those claims.
    /// </summary>
    /// <remarks>With <paramref name="asDelegate"/>, the login's A2 claim too (the test names them délégué in the database).</remarks>
    protected async Task<CurrentUser> AuthorizeAsAsync(string demoAccount, bool asDelegate = false)
    {
        var user = await UserAsync(demoAccount) with { IsDelegate = asDelegate };
        Claim[] claims =
        [
            new(PortalClaims.UserId, user.UserId.ToString()),
            new(PortalClaims.OrganisationId, user.OrganisationId.ToString()),
            new(PortalClaims.OrganisationName, user.OrganisationName),
            new(PortalClaims.OrganisationKind, user.OrganisationKind.ToString()),
            new(PortalClaims.TerritoryId, user.TerritoryId.ToString()),
            .. user.Roles.Select(r => new Claim(PortalClaims.Role, r.ToString())),
            .. asDelegate ? new[] { new Claim(PortalClaims.Delegate, "true") } : [],
        ];
        await AuthorizeAsync(user.DisplayName, claims);
        return user;
    }

    /// <summary>Signed in at the identity provider but matched to no portal account (AuthSetup's "pending" session).</summary>
    protected Task AuthorizeAsPendingAsync(string displayName) =>
        AuthorizeAsync(displayName, [new Claim(PortalClaims.Pending, "true")]);

    /// <summary>A pending session with what the login puts in it (issue #14 (2)): subject, e-mail, names, and the SIRET's organisation if any.</summary>
    protected Task AuthorizeAsPendingAsync(string displayName, string subject, string email, Guid? siretOrganisationId = null, string? siretOrganisationName = null) =>
        AuthorizeAsync(displayName,
        [
            new Claim(PortalClaims.Pending, "true"), new Claim("sub", subject), new Claim("email", email),
            .. siretOrganisationId is { } id ? new[] { new Claim(PortalClaims.SiretOrganisationId, id.ToString()), new Claim(PortalClaims.SiretOrganisation, siretOrganisationName ?? "") } : [],
        ]);

    private async Task AuthorizeAsync(string displayName, Claim[] claims)
    {
        Authorization.SetAuthorized(displayName);
        Authorization.SetClaims(claims);
        Authorization.SetPolicies([.. await GrantedPoliciesAsync(displayName, claims)]);
    }

    /// <summary>Evaluates the portal's real policies on the user, so that bUnit's fake grants exactly those.</summary>
    private static async Task<List<string>> GrantedPoliciesAsync(string displayName, Claim[] claims)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, displayName), .. claims], "test", ClaimTypes.Name, PortalClaims.Role));
        var authorization = PolicyEvaluator.Value.GetRequiredService<IAuthorizationService>();
        var granted = new List<string>();
        foreach (var policy in AllPolicies())
        {
            if ((await authorization.AuthorizeAsync(principal, policy)).Succeeded) granted.Add(policy);
        }
        return granted;
    }

    private static IEnumerable<string> AllPolicies() => PortalPolicies.All;

    private sealed class DatabaseForwarder(Func<TestDatabase> database) : IAppDbContextFactory
    {
        public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) => database().CreateAsync(cancellationToken);
    }
}
