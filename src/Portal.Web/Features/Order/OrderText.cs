using Portal.Application.Features.Order;

namespace Portal.Web.Features.Order;

/// <summary>French wording shared by the order screens (dates dd/MM/yyyy, relative where it helps, sizes).</summary>
public static class OrderText
{
    /// <summary>Where a fiche action is read (the public catalogue's fiche page).</summary>
    public static string FicheUrl(Guid ficheActionId) => $"/catalogue/{ficheActionId}";

    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"aujourd'hui", "demain", "dans 6 jours", "passée depuis 3 jours".</summary>
    public static string Relative(DateOnly deadline, DateOnly today) => (deadline.DayNumber - today.DayNumber) switch
    {
        0 => "aujourd'hui",
        1 => "demain",
        > 1 and var n => $"dans {n} jours",
        -1 => "passée depuis hier",
        var n => $"passée depuis {-n} jours",
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} o",
        < 1024 * 1024 => $"{bytes / 1024.0:0} Ko",
        _ => $"{bytes / (1024.0 * 1024.0):0.#} Mo",
    };

    public static string DocumentCount(GetRegionalOrder.Lot lot) => lot.Documents.Count switch
    {
        0 => "aucun document",
        1 => "1 document",
        var n => $"{n} documents",
    };
}
