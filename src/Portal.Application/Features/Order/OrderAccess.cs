using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Order;

/// <summary>Who may do what with the regional order (O3), in one place for its use cases.</summary>
internal static class OrderAccess
{
    /// <summary>The Région orders the training: it alone creates lots, uploads documents, declares and awards.</summary>
    public static void RequireRegion(CurrentUser user)
    {
        if (!user.Is(Role.Region)) throw new AccessDeniedException("Seule la Région gère la commande régionale.");
    }

    /// <summary>The Région sees every document at every moment.</summary>
    public static bool SeesEverything(CurrentUser user) => user.Is(Role.Region);

    /// <summary>Prescribers and référents prepare candidates; training bodies answer the tender.</summary>
    public static bool MayConsult(CurrentUser user) => user.IsPrescriberSide || user.Is(Role.OrganismeFormation);

    /// <summary>
    /// O3, outside the Région: until the deadline (inclusive, Paris calendar day) the tender file and the
    /// annexes; after it the annexes only (also once declared infructueux); once awarded, none (the awarded
    /// fiche action replaces them).
    /// </summary>
    public static IReadOnlyList<TenderDocument> VisibleDocuments(OrderLot lot, CurrentUser user, DateTimeOffset now) =>
        SeesEverything(user) ? lot.Documents : lot.DocumentsVisibleToPrescribers(now);

    public static DateOnly Today(DateTimeOffset now) => TrainingSession.Today(now);

    public static DomainException Refusal(string message) => new(message, "O3");
}
