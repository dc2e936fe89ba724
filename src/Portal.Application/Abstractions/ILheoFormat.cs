namespace Portal.Application.Abstractions;

/// <summary>
/// Reads and writes LHEO XML (2.2 <c>http://www.lheo.org/2.2</c> and 2.3 <c>http://lheo.gouv.fr/2.3</c>), validating
/// against the official schemas. Implemented in Infrastructure (embedded XSDs); the use cases only see records.
/// </summary>
public interface ILheoFormat
{
    /// <summary>Parses and validates a file; throws <see cref="LheoFormatException"/> (French, with the line) if it is refused.</summary>
    LheoOffer Read(Stream content);

    /// <summary>Writes the offer as LHEO 2.3.</summary>
    void Write(LheoOffer offer, Stream output);

    /// <summary>Errors of an LHEO 2.3 document against the 2.3 schema (empty when valid), in French with line numbers.</summary>
    IReadOnlyList<string> ValidateLheo23(Stream content);
}

/// <summary>A refused LHEO file: the message is French and names the line and the reason.</summary>
public sealed class LheoFormatException(string message, int? line = null) : Exception(message)
{
    public int? Line { get; } = line;
}

/// <summary>The offer of an LHEO file, already cleaned of the real-file quirks (placeholders, HTML, dates).</summary>
public sealed record LheoOffer(string Version, IReadOnlyList<LheoFormation> Formations)
{
    /// <summary>For the export: names and postcodes of the communes the offer's places use, by INSEE code.</summary>
    public IReadOnlyDictionary<string, LheoCommune> Communes { get; init; } = new Dictionary<string, LheoCommune>();
}

public sealed record LheoCommune(string Name, string PostalCode);

public sealed record LheoFormation(
    string Numero, string Title, string Objectives, string Content, string ExpectedResults,
    string? CertificationRncp, string? LevelCode, IReadOnlyList<string> RomeCodes,
    LheoContact Contact, IReadOnlyList<LheoAction> Actions, LheoOrganisation Organisation, int Line);

public sealed record LheoAction(
    string Numero, string SpecificConditions, string RecruitmentModalities, string Accessibility, bool PermanentEntries,
    int HoursInCentre, int HoursInCompany, IReadOnlyList<string> PlacesInsee, IReadOnlyList<LheoSession> Sessions, int Line);

/// <summary>A session; null dates are unknown (<c>00000000</c>, <c>99999999</c>).</summary>
public sealed record LheoSession(string Numero, DateOnly? Start, DateOnly? End, DateOnly? RegistrationEnd, int? Places, string? PlaceInsee, int Line);

public sealed record LheoContact(string Name, string Email, string Phone);

public sealed record LheoOrganisation(string Siret, string Name, string? Address, string? PostalCode, string? Insee);
