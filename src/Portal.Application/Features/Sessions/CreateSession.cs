using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O2, O4: an OF creates a session of one of its validated fiches. It stays planned until start − 120 days;
/// created inside that window, it opens to prescription at once.
/// </summary>
public sealed record CreateSession(
    Guid FicheActionId, DateOnly? Start, DateOnly? End, DateOnly? RegistrationDeadline, DateOnly? LateEntryDate,
    int? Capacity, string? PlaceCommuneInsee, IReadOnlyList<DateTimeOffset>? InfoSessions = null, string? InfoSessionPlace = null)
{
    /// <summary>French messages per field, checked before the domain (the form shows them next to each field).</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (Start is null) errors[nameof(Start)] = "La date de début est obligatoire.";
        if (End is null) errors[nameof(End)] = "La date de fin est obligatoire.";
        if (RegistrationDeadline is null) errors[nameof(RegistrationDeadline)] = "La date limite d'inscription est obligatoire.";
        if (Start is { } s && End is { } e && e < s) errors[nameof(End)] = "La date de fin doit suivre la date de début.";
        if (RegistrationDeadline is { } d && End is { } end && d > end) errors[nameof(RegistrationDeadline)] = "La date limite d'inscription doit précéder la fin de la session.";
        if (Capacity is null or <= 0) errors[nameof(Capacity)] = "La capacité doit être d'au moins une place.";
        if (string.IsNullOrWhiteSpace(PlaceCommuneInsee)) errors[nameof(PlaceCommuneInsee)] = "Le lieu de formation est obligatoire.";
        if (InfoSessions is { Count: > 0 } && string.IsNullOrWhiteSpace(InfoSessionPlace))
            errors[nameof(InfoSessionPlace)] = "Indiquez le lieu de l'information collective.";
        return errors;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Guid> HandleAsync(CreateSession command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul un organisme de formation crée des sessions.");
            var errors = command.Validate();
            if (errors.Count > 0) throw new DomainException(string.Join(" ", errors.Values));
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiche = await db.FicheActions.FirstOrDefaultAsync(f => f.Id == command.FicheActionId && f.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            if (!await db.Communes.AnyAsync(c => c.InseeCode == command.PlaceCommuneInsee, cancellationToken))
                throw new DomainException("Le lieu de formation doit être une commune de la liste.");

            var now = clock.GetUtcNow();
            var session = new TrainingSession(fiche, command.Start!.Value, command.End!.Value, command.RegistrationDeadline!.Value,
                command.Capacity!.Value, command.PlaceCommuneInsee!, command.LateEntryDate);
            // O4: inside the 120-day window the session opens at once (unless its registration is already over).
            if (session.PublicationDate <= TrainingSession.Today(now) && session.RegistrationDeadline >= TrainingSession.Today(now))
                session.Publish(now);
            db.Sessions.Add(session);
            foreach (var at in command.InfoSessions ?? [])
                db.InfoSessions.Add(new InfoSession(session.Id, fiche.EntryMode == EntryMode.Permanent ? InfoSessionKind.Individual : InfoSessionKind.Collective, at, command.InfoSessionPlace!));
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new SessionPlacesChanged(session.Id, session.OrganisationId, session.OpenPlaces, session.Capacity, session.Status, session.Version), cancellationToken);
            return session.Id;
        }
    }
}
