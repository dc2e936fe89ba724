using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Portal.Application.Abstractions;
using Portal.Application.Features.Identity;

namespace Portal.Web.Auth;

/// <summary>
/// Whether this circuit's session was ended while its screen was open (per circuit, scoped). The layout then shows
/// "Votre session est terminée" instead of the page (ADR 0018).
/// </summary>
public sealed class SessionEndedState
{
    public bool Ended { get; private set; }

    public void MarkEnded() => Ended = true;
}

/// <summary>
/// The authentication state of a Blazor Server circuit, revalidated against the server-side session record every
/// <see cref="AuthSettings.RevalidationInterval"/> (issue #15, point 7; ADR 0018). Once the session is ended (logout in
/// another tab, on another server, a deactivated user, an ended membership) or expired, the circuit's user becomes
/// anonymous and <see cref="SessionEndedState"/> says why. A <see cref="UserSessionsEnded"/> event naming the session
/// ends it at once, without waiting for the next check (ADR 0014).
/// </summary>
public sealed class PortalRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly UserSessionGate _gate;
    private readonly AuthSettings _settings;
    private readonly SessionEndedState _ended;
    private readonly ILiveNotifier _notifier;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private IDisposable? _subscription;
    private Guid? _sessionId;

    public PortalRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, UserSessionGate gate, AuthSettings settings,
        SessionEndedState ended, ILiveNotifier notifier)
        : base(loggerFactory)
    {
        _gate = gate;
        _settings = settings;
        _ended = ended;
        _notifier = notifier;
        _logger = loggerFactory.CreateLogger<PortalRevalidatingAuthenticationStateProvider>();
        AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    protected override TimeSpan RevalidationInterval => _settings.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Identity?.IsAuthenticated != true) return true;
        bool live;
        try
        {
            live = await _gate.IsStillLiveAsync(authenticationState.User, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database did not answer this time: keep the screen, check again at the next interval.
            _logger.LogWarning(ex, "La vérification de la session n'a pas abouti ; nouvel essai au prochain intervalle.");
            return true;
        }
        if (!live) _ended.MarkEnded();
        return live;
    }

    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        try
        {
            var state = await task;
            Watch(UserSessionGate.SessionIdOf(state.User));
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "État d'authentification illisible pour le suivi de la session.");
        }
    }

    /// <summary>Follows the live end of the session shown (none when anonymous).</summary>
    private void Watch(Guid? sessionId)
    {
        lock (_lock)
        {
            if (sessionId == _sessionId) return;
            _subscription?.Dispose();
            _subscription = null;
            _sessionId = sessionId;
            if (sessionId is { } id) _subscription = _notifier.Subscribe<UserSessionsEnded>(id, _ => EndNow(id));
        }
    }

    private Task EndNow(Guid sessionId)
    {
        lock (_lock)
        {
            if (_sessionId != sessionId) return Task.CompletedTask;
        }
        _ended.MarkEnded();
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthenticationStateChanged -= OnAuthenticationStateChanged;
            lock (_lock)
            {
                _subscription?.Dispose();
                _subscription = null;
            }
        }
        base.Dispose(disposing);
    }
}
