using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Lheo;

/// <summary>
/// The LHEO 2.3 export. Every element the schema requires is written; where the portal has no data the
/// placeholders of real producers are used (<c>-</c> for text, <c>00000</c> postcodes, <c>99999999999</c> for the
/// activity number, <c>00000000</c>/<c>99999999</c> for unknown dates).
/// </summary>
public sealed partial class LheoXmlFormat
{
    private const string Placeholder = "-";

    /// <summary>code-public-vise is mandatory (Formacode public code); the portal does not record it: "80001" as in Intercarif files.</summary>
    private const string DefaultPublicCode = "80001";

    public void Write(LheoOffer offer, Stream output)
    {
        XNamespace ns = Namespace23;
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(ns + "lheo",
                new XElement(ns + "offres", offer.Formations.Select(f => WriteFormation(ns, f, offer.Communes)))));
        using var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false });
        document.Save(writer);
    }

    private static XElement WriteFormation(XNamespace ns, LheoFormation f, IReadOnlyDictionary<string, LheoCommune> communes) =>
        new(ns + "formation", new XAttribute("numero", f.Numero),
            new XElement(ns + "domaine-formation", f.RomeCodes.Take(5).Select(r => new XElement(ns + "code-ROME", r))),
            Filled(ns, "intitule-formation", f.Title),
            Filled(ns, "objectif-formation", f.Objectives),
            Filled(ns, "resultats-attendus", f.ExpectedResults),
            Filled(ns, "contenu-formation", f.Content),
            new XElement(ns + "certifiante", f.CertificationRncp is { Length: > 0 } ? "1" : "0"),
            new XElement(ns + "contact-formation", Coordinates(ns, f.Contact)),
            new XElement(ns + "parcours-de-formation", "1"),
            new XElement(ns + "code-niveau-entree", "0"),
            f.CertificationRncp is { Length: > 0 and <= 10 } rncp ? new XElement(ns + "certification", new XElement(ns + "code-RNCP", rncp)) : null,
            new XElement(ns + "code-niveau-sortie", f.LevelCode ?? "0"),
            f.Actions.Select(a => WriteAction(ns, a, communes)),
            WriteOrganisation(ns, f.Organisation, f.Contact));

    private static XElement WriteAction(XNamespace ns, LheoAction a, IReadOnlyDictionary<string, LheoCommune> communes)
    {
        var sessions = a.Sessions.Count > 0
            ? a.Sessions.Select(s => WriteSession(ns, s, s.PlaceInsee ?? a.PlacesInsee.FirstOrDefault(), communes))
            // A fiche without a session yet: the schema wants one; unknown dates, as real files say it.
            : [WriteSession(ns, new LheoSession(a.Numero, null, null, null, null, null, 0), a.PlacesInsee.FirstOrDefault(), communes, numbered: false)];
        return new XElement(ns + "action", new XAttribute("numero", a.Numero),
            new XElement(ns + "rythme-formation", Placeholder),
            new XElement(ns + "code-public-vise", DefaultPublicCode),
            new XElement(ns + "niveau-entree-obligatoire", "0"),
            new XElement(ns + "modalites-alternance", Placeholder),
            new XElement(ns + "modalites-enseignement", "0"),
            Filled(ns, "conditions-specifiques", a.SpecificConditions),
            new XElement(ns + "prise-en-charge-frais-possible", "1"),
            a.PlacesInsee.Select(p => new XElement(ns + "lieu-de-formation", new XElement(ns + "coordonnees", Address(ns, p, communes)))),
            new XElement(ns + "modalites-entrees-sorties", a.PermanentEntries ? "1" : "0"),
            sessions,
            a.Accessibility is { Length: > 0 } access ? new XElement(ns + "acces-handicapes", access) : null,
            new XElement(ns + "langue-formation", "fr"),
            a.RecruitmentModalities is { Length: > 0 } recruitment ? new XElement(ns + "modalites-recrutement", recruitment) : null,
            new XElement(ns + "nombre-heures-centre", a.HoursInCentre),
            new XElement(ns + "nombre-heures-entreprise", a.HoursInCompany),
            new XElement(ns + "nombre-heures-total", a.HoursInCentre + a.HoursInCompany));
    }

    private static XElement WriteSession(XNamespace ns, LheoSession s, string? insee, IReadOnlyDictionary<string, LheoCommune> communes, bool numbered = true) =>
        new(ns + "session", numbered ? new XAttribute("numero", s.Numero) : null,
            new XElement(ns + "periode",
                new XElement(ns + "debut", s.Start is { } start ? Day(start) : "00000000"),
                new XElement(ns + "fin", s.End is { } end ? Day(end) : "99999999")),
            new XElement(ns + "adresse-inscription", Address(ns, insee, communes)),
            s.RegistrationEnd is { } deadline
                ? new XElement(ns + "periode-inscription", new XElement(ns + "periode",
                    new XElement(ns + "debut", "00000000"), new XElement(ns + "fin", Day(deadline))))
                : null,
            s.Places is > 0 and var places
                ? new XElement(ns + "recrutement", new XElement(ns + "modalite-recrutement", "0"), new XElement(ns + "nb-places", places))
                : null);

    private static XElement WriteOrganisation(XNamespace ns, LheoOrganisation o, LheoContact contact)
    {
        var (lines, postcode, town) = SplitAddress(o.Address);
        return new XElement(ns + "organisme-formation-responsable",
            new XElement(ns + "numero-activite", "99999999999"),
            new XElement(ns + "SIRET-organisme-formation", new XElement(ns + "SIRET", o.Siret is { Length: 14 } siret ? siret : "00000000000000")),
            Filled(ns, "nom-organisme", o.Name),
            Filled(ns, "raison-sociale", o.Name),
            new XElement(ns + "coordonnees-organisme", new XElement(ns + "coordonnees",
                new XElement(ns + "adresse",
                    lines.Select(l => new XElement(ns + "ligne", l)),
                    new XElement(ns + "codepostal", postcode),
                    Filled(ns, "ville", town)))),
            new XElement(ns + "contact-organisme", Coordinates(ns, contact)));
    }

    private static XElement Coordinates(XNamespace ns, LheoContact contact) =>
        new(ns + "coordonnees",
            contact.Name is { Length: > 0 } name ? new XElement(ns + "nom", name) : null,
            contact.Phone is { Length: > 0 } phone ? new XElement(ns + "telfixe", new XElement(ns + "numtel", phone)) : null,
            contact.Email is { Length: > 0 } email ? new XElement(ns + "courriel", email) : null);

    private static XElement Address(XNamespace ns, string? insee, IReadOnlyDictionary<string, LheoCommune> communes)
    {
        var commune = insee is not null && communes.TryGetValue(insee, out var c) ? c : null;
        return new XElement(ns + "adresse",
            new XElement(ns + "ligne", Placeholder),
            new XElement(ns + "codepostal", commune?.PostalCode is { Length: 5 } cp ? cp : "00000"),
            Filled(ns, "ville", commune?.Name),
            new XElement(ns + "code-INSEE-commune", insee is { Length: 5 } ? insee : "00000"));
    }

    /// <summary>
    /// The address kept by the import (one line per <c>&lt;ligne&gt;</c>, "33000 Bordeaux" last) back into its parts.
    /// An address kept on one line before issue #13 ("street, 33000 Bordeaux") is read as before. Every line is at
    /// most <see cref="MaxLineLength"/> characters (LHEO 2.3 <c>ligne-subtype</c>): a longer one is wrapped between
    /// words (a longer word is cut) so the export validates; placeholders when nothing parses.
    /// </summary>
    private static (IReadOnlyList<string> Lines, string Postcode, string Town) SplitAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return ([Placeholder], "00000", Placeholder);
        var parts = address.Split(AddressSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var (postcode, town) = ("00000", Placeholder);
        if (parts.Count > 1 && TownOnly().Match(parts[^1]) is { Success: true } townLine)
        {
            (postcode, town) = (townLine.Groups["cp"].Value, townLine.Groups["town"].Value);
            parts.RemoveAt(parts.Count - 1);
        }
        else if (parts.Count == 1 && PostcodeAndTown().Match(parts[0]) is { Success: true } legacy)
        {
            (postcode, town) = (legacy.Groups["cp"].Value, legacy.Groups["town"].Value);
            parts = legacy.Groups["lines"].Value is { Length: > 0 } street ? [street] : [];
        }
        var lines = parts.SelectMany(Wrap).ToList();
        return (lines.Count > 0 ? lines : [Placeholder], postcode, Wrap(town).First());
    }

    /// <summary>LHEO 2.3: a <c>ligne</c> and a <c>ville</c> hold at most 50 characters.</summary>
    internal const int MaxLineLength = 50;

    /// <summary>A line cut between words into pieces of at most <see cref="MaxLineLength"/> characters (a longer word is cut).</summary>
    internal static IEnumerable<string> Wrap(string line)
    {
        var current = new StringBuilder();
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var room = current.Length == 0 ? MaxLineLength : MaxLineLength - current.Length - 1;
                if (rest.Length <= room)
                {
                    if (current.Length > 0) current.Append(' ');
                    current.Append(rest);
                    rest = "";
                }
                else if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
                else
                {
                    yield return rest[..MaxLineLength];
                    rest = rest[MaxLineLength..];
                }
            }
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static XElement Filled(XNamespace ns, string name, string? value) =>
        new(ns + name, string.IsNullOrWhiteSpace(value) ? Placeholder : value);

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:(?<lines>.*),\s*)?(?<cp>[0-9]{5})\s+(?<town>.+)$")]
    private static partial Regex PostcodeAndTown();

    [GeneratedRegex(@"^(?<cp>[0-9]{5})\s+(?<town>.+)$")]
    private static partial Regex TownOnly();
}
