using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.Notifications;

/// <summary>S6: the user's own preferences ("Mes préférences"): for now, whether prescription e-mails are sent to them.</summary>
public sealed record GetMyPreferences
{
    public sealed record Result(string Email, bool EmailNotifications);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Users.AsNoTracking().Where(u => u.Id == user.UserId)
                .Select(u => new Result(u.Email, u.EmailNotifications))
                .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Compte introuvable.");
        }
    }
}

/// <summary>S6: opt in or out of the e-mails about one's prescriptions (only one's own account).</summary>
public sealed record SetEmailNotifications(bool Enabled)
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task HandleAsync(SetEmailNotifications command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var account = await db.Users.FirstOrDefaultAsync(u => u.Id == user.UserId, cancellationToken) ?? throw new NotFoundException("Compte introuvable.");
            account.SetEmailNotifications(command.Enabled);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
