using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Lheo;

/// <summary>
/// LHEO XML: reads 2.2 and 2.3 files validated against the official schemas (embedded, see Schemas/SOURCES.md),
/// tolerating the quirks of real files (<c>-</c> placeholders, <c>00000</c> INSEE codes, unknown or month-only
/// dates, HTML escaped in text), and writes the portal's offer as LHEO 2.3.
/// </summary>
public sealed partial class LheoXmlFormat : ILheoFormat
{
    public const string Namespace22 = "http://www.lheo.org/2.2";
    public const string Namespace23 = "http://lheo.gouv.fr/2.3";

    private const int MaxReportedErrors = 3;

    private static readonly Lazy<XmlSchemaSet> Schema22 = new(() => LoadSchema("Lheo.lheo-2.2.xsd"));
    private static readonly Lazy<XmlSchemaSet> Schema23 = new(() => LoadSchema("Lheo.lheo-2.3.xsd"));

    // ---------------------------------------------------------------- reading

    public LheoOffer Read(Stream content)
    {
        var buffer = new MemoryStream();
        content.CopyTo(buffer);
        buffer.Position = 0;

        var (rootName, ns, rootLine) = ReadRoot(buffer);
        if (rootName != "lheo")
            throw new LheoFormatException($"Ligne {rootLine} : l'élément racine est « {rootName} » ; un fichier LHEO commence par « lheo ». Rien n'a été importé.", rootLine);
        var (version, schema) = ns switch
        {
            Namespace22 => ("2.2", Schema22.Value),
            Namespace23 => ("2.3", Schema23.Value),
            _ => throw new LheoFormatException(
                $"Ligne {rootLine} : espace de noms « {(ns.Length == 0 ? "(aucun)" : ns)} » non reconnu. Un fichier LHEO 2.2 utilise « {Namespace22} » " +
                $"et un fichier LHEO 2.3 « {Namespace23} ». Rien n'a été importé.", rootLine),
        };

        buffer.Position = 0;
        var (document, errors) = LoadValidated(buffer, schema);
        if (errors.Count > 0)
        {
            var first = errors[0];
            var more = errors.Count > 1
                ? $" ({errors.Count} erreurs au total ; suivantes : {string.Join(" ; ", errors.Skip(1).Take(MaxReportedErrors - 1).Select(e => $"ligne {e.Line} : {e.Message}"))})"
                : "";
            throw new LheoFormatException($"Ligne {first.Line} : fichier non conforme au schéma LHEO {version} : {first.Message}{more}. Rien n'a été importé.", first.Line);
        }
        return Map(document, version);
    }

    public IReadOnlyList<string> ValidateLheo23(Stream content)
    {
        var (_, errors) = LoadValidated(content, Schema23.Value);
        return [.. errors.Select(e => $"ligne {e.Line} : {e.Message}")];
    }

    private static (string Name, string Namespace, int Line) ReadRoot(Stream buffer)
    {
        try
        {
            using var reader = XmlReader.Create(buffer, SafeSettings());
            reader.MoveToContent();
            return (reader.LocalName, reader.NamespaceURI, ((IXmlLineInfo)reader).LineNumber);
        }
        catch (XmlException ex)
        {
            throw Malformed(ex);
        }
    }

    private static (XDocument Document, List<(int Line, string Message)> Errors) LoadValidated(Stream buffer, XmlSchemaSet schema)
    {
        var errors = new List<(int Line, string Message)>();
        var settings = SafeSettings();
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = schema;
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error || errors.Count == 0)
                errors.Add((e.Exception?.LineNumber ?? 0, e.Message));
        };
        try
        {
            using var reader = XmlReader.Create(buffer, settings);
            return (XDocument.Load(reader, LoadOptions.SetLineInfo), errors);
        }
        catch (XmlException ex)
        {
            throw Malformed(ex);
        }
    }

    private static XmlReaderSettings SafeSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    private static LheoFormatException Malformed(XmlException ex)
    {
        var reason = ex.Message.Contains("Unexpected end of file", StringComparison.OrdinalIgnoreCase)
            ? "fin de fichier inattendue (fichier tronqué ?)"
            : ex.Message;
        return new LheoFormatException(
            $"Ligne {ex.LineNumber} : le fichier n'est pas un XML bien formé (colonne {ex.LinePosition}) : {reason}. Rien n'a été importé.", ex.LineNumber);
    }

    private static LheoOffer Map(XDocument document, string version)
    {
        XNamespace ns = document.Root!.Name.Namespace;
        var formations = document.Root.Element(ns + "offres")!.Elements(ns + "formation")
            .Select((f, i) => MapFormation(ns, f, i))
            .ToList();
        return new LheoOffer(version, formations);
    }

    private static LheoFormation MapFormation(XNamespace ns, XElement f, int index)
    {
        var numero = Attribute(f, "numero") ?? $"formation-{index + 1}";
        var responsible = f.Element(ns + "organisme-formation-responsable")!;
        var name = Text(responsible.Element(ns + "raison-sociale"));
        if (name.Length == 0) name = Text(responsible.Element(ns + "nom-organisme"));
        var orgAddress = responsible.Element(ns + "coordonnees-organisme")?.Element(ns + "coordonnees")?.Element(ns + "adresse");
        var organisation = new LheoOrganisation(
            Siret: Text(responsible.Element(ns + "SIRET-organisme-formation")?.Element(ns + "SIRET")),
            Name: name,
            Address: AddressLine(ns, orgAddress),
            PostalCode: orgAddress is null ? null : Text(orgAddress.Element(ns + "codepostal")),
            Insee: Insee(orgAddress?.Element(ns + "code-INSEE-commune")));

        var contact = Contact(ns, f.Elements(ns + "contact-formation").Select(c => c.Element(ns + "coordonnees")).FirstOrDefault());
        var organisationContact = Contact(ns, responsible.Elements(ns + "contact-organisme").Select(c => c.Element(ns + "coordonnees")).FirstOrDefault());
        contact = new LheoContact(
            contact.Name.Length > 0 ? contact.Name : organisationContact.Name,
            contact.Email.Length > 0 ? contact.Email : organisationContact.Email,
            contact.Phone.Length > 0 ? contact.Phone : organisationContact.Phone);

        var rncp = f.Elements(ns + "certification").Select(c => Text(c.Element(ns + "code-RNCP"))).FirstOrDefault(c => c.Length > 0);
        var level = Text(f.Element(ns + "code-niveau-sortie"));
        var rome = f.Element(ns + "domaine-formation")!.Elements(ns + "code-ROME").Select(Text).Where(c => c.Length > 0).ToList();
        var actions = f.Elements(ns + "action").Select((a, i) => MapAction(ns, a, numero, i)).ToList();

        return new LheoFormation(numero, Text(f.Element(ns + "intitule-formation")), Text(f.Element(ns + "objectif-formation")),
            Text(f.Element(ns + "contenu-formation")), Text(f.Element(ns + "resultats-attendus")),
            rncp, level.Length > 0 ? level : null, rome, contact, actions, organisation, Line(f));
    }

    private static LheoAction MapAction(XNamespace ns, XElement a, string formationNumero, int index)
    {
        var numero = Attribute(a, "numero") ?? $"{formationNumero}-action-{index + 1}";
        var places = a.Elements(ns + "lieu-de-formation")
            .Select(l => Insee(l.Element(ns + "coordonnees")?.Element(ns + "adresse")?.Element(ns + "code-INSEE-commune")))
            .OfType<string>().Distinct().ToList();
        var fundedPlaces = a.Elements(ns + "organisme-financeur").Select(o => Integer(o.Element(ns + "nb-places-financees"))).FirstOrDefault(n => n > 0);
        var sessions = a.Elements(ns + "session").Select((s, i) => MapSession(ns, s, numero, i, fundedPlaces)).ToList();
        return new LheoAction(numero,
            SpecificConditions: Text(a.Element(ns + "conditions-specifiques")),
            RecruitmentModalities: Text(a.Element(ns + "modalites-recrutement")),
            Accessibility: Text(a.Element(ns + "acces-handicapes")),
            PermanentEntries: Text(a.Element(ns + "modalites-entrees-sorties")) == "1",
            HoursInCentre: Integer(a.Element(ns + "nombre-heures-centre")) ?? 0,
            HoursInCompany: Integer(a.Element(ns + "nombre-heures-entreprise")) ?? 0,
            places, sessions, Line(a));
    }

    private static LheoSession MapSession(XNamespace ns, XElement s, string actionNumero, int index, int? fundedPlaces)
    {
        var numero = Attribute(s, "numero") ?? $"{actionNumero}-session-{index + 1}";
        var period = s.Element(ns + "periode")!;
        var registration = s.Element(ns + "periode-inscription")?.Element(ns + "periode")?.Element(ns + "fin");
        var places = s.Elements(ns + "recrutement").Select(r => Integer(r.Element(ns + "nb-places"))).FirstOrDefault(n => n > 0) ?? fundedPlaces;
        return new LheoSession(numero,
            Date(period.Element(ns + "debut")!, end: false),
            Date(period.Element(ns + "fin")!, end: true),
            registration is null ? null : Date(registration, end: true),
            places,
            Insee(s.Element(ns + "adresse-inscription")?.Element(ns + "adresse")?.Element(ns + "code-INSEE-commune")),
            Line(s));
    }

    private static LheoContact Contact(XNamespace ns, XElement? coordinates)
    {
        if (coordinates is null) return new LheoContact("", "", "");
        var name = string.Join(' ', new[] { Text(coordinates.Element(ns + "prenom")), Text(coordinates.Element(ns + "nom")) }.Where(n => n.Length > 0));
        var phone = new[] { "telfixe", "portable" }
            .Select(p => coordinates.Element(ns + p)?.Elements(ns + "numtel").Select(Text).FirstOrDefault(t => t.Length > 0))
            .FirstOrDefault(t => t is not null) ?? "";
        return new LheoContact(name, Text(coordinates.Element(ns + "courriel")), phone);
    }

    /// <summary>
    /// The address as the portal keeps it: each <c>&lt;ligne&gt;</c> on its own line, then "postcode town" on the last
    /// one (<see cref="AddressSeparator"/> between them), so the export writes the same lines back (issue #13, point 7).
    /// </summary>
    private static string? AddressLine(XNamespace ns, XElement? address)
    {
        if (address is null) return null;
        var lines = address.Elements(ns + "ligne").Select(Text).Where(l => l.Length > 0).Select(l => l.Replace('\n', ' '));
        var postcode = Text(address.Element(ns + "codepostal"));
        if (postcode == "00000") postcode = "";
        var town = string.Join(' ', new[] { postcode, Text(address.Element(ns + "ville")) }.Where(p => p.Length > 0));
        var full = string.Join(AddressSeparator, lines.Append(town).Where(p => p.Length > 0));
        return full.Length == 0 ? null : full;
    }

    /// <summary>Between the lines of an address kept from LHEO (one <c>&lt;ligne&gt;</c> each, the town last).</summary>
    public const char AddressSeparator = '\n';

    /// <summary>An INSEE commune code, or null for a placeholder (<c>00000</c>, <c>-</c>) or an empty element.</summary>
    private static string? Insee(XElement? element)
    {
        var code = Text(element).ToUpperInvariant();
        return InseePattern().IsMatch(code) && code != "00000" ? code : null;
    }

    /// <summary>
    /// <c>AAAAMMJJ</c>; <c>00000000</c> (unknown start) and <c>99999999</c> (unknown end) are null; <c>AAAAMM00</c> is a
    /// month (its first day for a start, its last for an end); <c>AAAA0000</c> a year.
    /// </summary>
    internal static DateOnly? Date(XElement element, bool end)
    {
        var value = element.Value.Trim();
        if (value is "00000000" or "99999999") return null;
        if (value.Length == 8 && value.All(char.IsAsciiDigit))
        {
            var year = int.Parse(value[..4], CultureInfo.InvariantCulture);
            var month = int.Parse(value[4..6], CultureInfo.InvariantCulture);
            var day = int.Parse(value[6..], CultureInfo.InvariantCulture);
            if (year >= 1 && month == 0 && day == 0) return end ? new DateOnly(year, 12, 31) : new DateOnly(year, 1, 1);
            if (year >= 1 && month is >= 1 and <= 12)
            {
                var last = DateTime.DaysInMonth(year, month);
                if (day == 0) return new DateOnly(year, month, end ? last : 1);
                if (day <= last) return new DateOnly(year, month, day);
            }
        }
        var line = Line(element);
        throw new LheoFormatException($"Ligne {line} : date « {value} » invalide (format attendu AAAAMMJJ). Rien n'a été importé.", line);
    }

    private static int? Integer(XElement? element)
    {
        var text = Text(element);
        if (text.Length == 0) return null;
        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= int.MaxValue
            ? (int)Math.Round(value)
            : null;
    }

    private static string? Attribute(XElement element, string name) =>
        element.Attribute(name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    private static int Line(XElement element) => ((IXmlLineInfo)element).LineNumber;

    private static string Text(XElement? element) => element is null ? "" : PlainText(element.Value);

    /// <summary>
    /// Real files escape HTML inside text (<c>&amp;lt;p&amp;gt;</c>): line breaks and list items become new lines, other
    /// tags go, entities are decoded; a lone <c>-</c> (the filler of mandatory elements) is empty.
    /// </summary>
    public static string PlainText(string raw)
    {
        var text = BreakTag().Replace(raw, "\n");
        text = ListItemTag().Replace(text, "\n- ");
        text = BlockEndTag().Replace(text, "\n");
        text = AnyTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        var lines = text.Split('\n')
            .Select(l => Spaces().Replace(l, " ").Trim())
            .Where(l => l.Length > 0);
        var result = string.Join('\n', lines);
        return result == "-" ? "" : result;
    }

    [GeneratedRegex(@"<\s*br\s*/?\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTag();

    [GeneratedRegex(@"<\s*li(\s[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItemTag();

    [GeneratedRegex(@"<\s*/\s*(p|li|ul|ol|div|h[1-6])\s*>|<\s*(p|ul|ol|div)(\s[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEndTag();

    [GeneratedRegex(@"<[^<>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"[ \t\r\f\v\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^([0-9]{5}|2[AB][0-9]{3})$")]
    private static partial Regex InseePattern();

    private static XmlSchemaSet LoadSchema(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded schema {resource}");
        using var reader = XmlReader.Create(stream, SafeSettings());
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(null, reader);
        set.Compile();
        return set;
    }
}
