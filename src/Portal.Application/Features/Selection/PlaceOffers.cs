using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// O9, S1 (ADR 0015): a place is open and someone waits: the OF confirms the offer of the place to the first of the
/// waiting list, with the last day for the candidate's answer (a day in France). The offer holds the place (O8); the
/// OF user is recorded in the history; the prescriber is told live and by e-mail (S6).
/// </summary>
public sealed record OfferPlace(Guid SessionId, DecisionTarget Target, DateOnly ResponseDeadline)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(OfferPlace command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            SelectionAccess.EnsureTrainingBody(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var target = (await SelectionAccess.LoadAsync(db, user, command.SessionId, [command.Target], cancellationToken)).Single();
            if (target.Status != PrescriptionStatus.Waitlisted)
                throw new DomainException("Seul un candidat en liste d'attente peut se voir proposer une place libérée.", "O9");
            var first = (await WaitlistPromotion.WaitingAsync(db, command.SessionId, cancellationToken)).First();
            if (first.Id != target.Id)
                throw new DomainException("La place libérée se propose au premier de la liste d'attente : rechargez l'écran des décisions.", "O9");
            await SessionPlaces.EnsureOpenAsync(db, command.SessionId, 1, cancellationToken);
            target.OfferPlace(user.UserId, clock.GetUtcNow(), command.ResponseDeadline);
            var sessions = await SessionPlaces.RecountAsync(db, [command.SessionId], cancellationToken);
            await SessionPlaces.SaveAsync(db, SessionPlaces.ConflictMessage, "O9", cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [target], cancellationToken);
            await SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}

/// <summary>
/// O9, S6 (ADR 0015): the prescriber of the candidate's organisation records the candidate's answer to the offered
/// place: accepted → selected (the place stays held); declined → a withdrawal, and the next of the waiting list is
/// offered the place with the same response period.
/// </summary>
public sealed record AnswerPlaceOffer(Guid PrescriptionId, int Version, bool Accepted)
{
    public const string ConflictMessage = "La proposition de place vient de changer (réponse déjà enregistrée, ou délai passé) : rechargez la page.";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(AnswerPlaceOffer command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur enregistre la réponse du candidat à une place proposée.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions(user)
                .FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            if (prescription.Version != command.Version || prescription.Status != PrescriptionStatus.PlaceOffered)
                throw new DomainException(ConflictMessage, "O9");
            var now = clock.GetUtcNow();
            var changed = new List<Prescription> { prescription };
            if (command.Accepted)
            {
                prescription.AcceptOffer(user.UserId, now);
            }
            else
            {
                var days = prescription.OfferResponseDays;
                prescription.DeclineOffer(user.UserId, now);
                if (await WaitlistPromotion.PassOnAsync(db, prescription, days, now, cancellationToken) is { } next) changed.Add(next);
            }
            var sessions = await SessionPlaces.RecountAsync(db, [prescription.SessionId], cancellationToken);
            await SessionPlaces.SaveAsync(db, ConflictMessage, "O9", cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, changed, cancellationToken);
            await SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}

/// <summary>
/// O9 (ADR 0015): an offered place left without answer past its deadline (the last day, in France, inclusive) lapses
/// the day after: the prescription expires and the next of the waiting list is offered the place with the same
/// response period. Idempotent: a second run finds no lapsed offer left.
/// </summary>
public sealed class LapsePlaceOffersJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = TrainingSession.Today(now);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var offered = PrescriptionStatus.PlaceOffered;
        // A few offers at a time across the region (one per freed place): loaded and moved one by one.
        var lapsed = await db.AllPrescriptions.Where(p => p.Status == offered && p.OfferDeadline < today)
            .OrderBy(p => p.StatusChangedAt).ToListAsync(cancellationToken);
        if (lapsed.Count == 0) return;
        var changed = new List<Prescription>();
        foreach (var p in lapsed)
        {
            var days = p.OfferResponseDays;
            p.LapseOffer(now);
            changed.Add(p);
            if (await WaitlistPromotion.PassOnAsync(db, p, days, now, cancellationToken) is { } next) changed.Add(next);
        }
        var sessions = await SessionPlaces.RecountAsync(db, lapsed.Select(p => p.SessionId), cancellationToken);
        // A decision racing the job fails the whole run, which the next run retries.
        await db.SaveChangesAsync(cancellationToken);
        await WaitlistPromotion.PublishAsync(notifier, changed, CancellationToken.None);
        await SessionPlaces.PublishAsync(notifier, sessions, CancellationToken.None);
    }
}
