using System.Text;

namespace Portal.Testing;

/// <summary>
/// EOS exports as the Région receives them (Excel's "CSV (séparateur : point-virgule)", Windows-1252), over the
/// demo data seeded on 27/11/2026: the running "Développeur web et web mobile" session SE-2026-0412 (action
/// AF-2026-0118) has Bastien Moulin (entered 17/11), Anaïs Béranger (FT2000101, entered 19/11), Jérôme Castaing
/// (FT2000102, entered 21/11) and Maëlle Etcheverry (selected, entry not recorded).
/// </summary>
public static class EosFiles
{
    public const string Header = "identifiant_france_travail;nom;prenom;date_naissance;numero_action;numero_session;date_entree";

    /// <summary>Expected: 1 concordant entry; 1 date mismatch, 1 entry not recorded, 2 without prescription, 1 missing from EOS.</summary>
    public const string Realistic =
        Header + "\r\n" +
        ";MOULIN;Bastien;27/11/2003;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +          // line 2: same entry, found by name + birth date
        "FT2000101;BERANGER;Anaïs;14/03/1995;AF-2026-0118;SE-2026-0412;16/11/2026\r\n" +  // line 3: France Travail id; EOS says 16/11, the portal 19/11
        ";ETCHEVERRY;Maëlle;21/06/2004;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +       // line 4: selected, the OF has not recorded the entry
        ";LARRIEU;Océane;05/02/1999;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +          // line 5: nobody prescribed her
        "FT2999999;LACOSTE;Théo;12/12/2001;AF-2026-0231;SE-2026-0777;23/11/2026\r\n";     // line 6: a session the portal does not know
                                                                                          // Jérôme Castaing, entered in the portal, is not in EOS.

    /// <summary>Line 7 has an impossible entry date; line 4 has a missing birth date.</summary>
    public const string BadDateOnLine7 =
        Header + "\r\n" +
        ";MOULIN;Bastien;27/11/2003;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +
        "FT2000101;BERANGER;Anaïs;14/03/1995;AF-2026-0118;SE-2026-0412;16/11/2026\r\n" +
        ";ETCHEVERRY;Maëlle;;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +
        ";LARRIEU;Océane;05/02/1999;AF-2026-0118;SE-2026-0412;17/11/2026\r\n" +
        "FT2999999;LACOSTE;Théo;12/12/2001;AF-2026-0231;SE-2026-0777;23/11/2026\r\n" +
        ";DUBOIS;Léna;03/04/2000;AF-2026-0118;SE-2026-0412;31/02/2026\r\n";

    /// <summary>No date_entree column.</summary>
    public const string MissingColumn =
        "identifiant_france_travail;nom;prenom;date_naissance;numero_action;numero_session\r\n" +
        ";MOULIN;Bastien;27/11/2003;AF-2026-0118;SE-2026-0412\r\n";

    /// <summary>
    /// <see cref="Realistic"/> followed by <paramref name="count"/> entries on a session unknown to the portal (lines 7, 8...):
    /// each is one more "without prescription" anomaly, so the import has 5 + <paramref name="count"/> anomalies.
    /// </summary>
    public static string RealisticPlusUnknown(int count) =>
        Realistic + string.Concat(Enumerable.Range(1, count).Select(n =>
            $";INCONNU{n:D5};Stagiaire;01/01/2000;AF-2026-0231;SE-2026-0777;23/11/2026\r\n"));

    public static byte[] Windows1252(string text) => CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text);

    public static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
}
