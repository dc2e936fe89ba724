using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Lheo;
using Portal.Infrastructure.Lheo;
using Portal.Testing;

namespace Portal.Application.Tests.Lheo;

/// <summary>The real samples (copied to the output), a small valid LHEO document to vary, and database snapshots.</summary>
internal static class LheoFiles
{
    public const string Onisep = "onisep-bts-nrc-quimperle.lheo22.xml";
    public const string Daeu = "intercarif-daeu-toulouse.lheo22.xml";

    public const string OnisepSiret = "19290076900014";
    public const string DaeuSiret = "19311383400389";

    /// <summary>Formapro Gironde, Julie's training body in the demo data.</summary>
    public const string FormaproSiret = "52345678900011";

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Lheo", "Samples", name);

    public static Stream Sample(string name) => File.OpenRead(SamplePath(name));

    public static Stream Text(string xml) => new MemoryStream(Encoding.UTF8.GetBytes(xml));

    public static ImportLheo.Handler Importer(TestDatabase database) =>
        new(database, new LheoXmlFormat(), new FakeTimeProvider(TestDatabase.DefaultNow));

    /// <summary>
    /// A minimal LHEO document (every mandatory element, one formation, action and session). Line numbers: the
    /// <c>intitule-formation</c> is on line 6, the session on line 24.
    /// </summary>
    public static string Minimal(
        string ns = LheoXmlFormat.Namespace23, string siret = FormaproSiret, string title = "Agent de propreté et d'hygiène",
        string objectives = "Accéder à l'emploi.", string debut = "20270104", string fin = "20270630", string insee = "33063",
        string langue = "fr", string conditions = "-", string actionNumero = "A-1", string sessionNumero = "S-1") => $"""
<?xml version="1.0" encoding="utf-8"?>
<lheo xmlns="{ns}">
<offres>
<formation numero="F-1">
<domaine-formation><code-ROME>K2204</code-ROME></domaine-formation>
<intitule-formation>{title}</intitule-formation>
<objectif-formation>{objectives}</objectif-formation>
<resultats-attendus>-</resultats-attendus>
<contenu-formation>-</contenu-formation>
<certifiante>0</certifiante>
<contact-formation><coordonnees><courriel>contact@exemple.fr</courriel></coordonnees></contact-formation>
<parcours-de-formation>1</parcours-de-formation>
<code-niveau-entree>0</code-niveau-entree>
<action numero="{actionNumero}">
<rythme-formation>-</rythme-formation>
<code-public-vise>80001</code-public-vise>
<niveau-entree-obligatoire>0</niveau-entree-obligatoire>
<modalites-alternance>-</modalites-alternance>
<modalites-enseignement>0</modalites-enseignement>
<conditions-specifiques>{conditions}</conditions-specifiques>
<prise-en-charge-frais-possible>0</prise-en-charge-frais-possible>
<lieu-de-formation><coordonnees><adresse><ligne>-</ligne><codepostal>33000</codepostal><ville>Bordeaux</ville><code-INSEE-commune>{insee}</code-INSEE-commune></adresse></coordonnees></lieu-de-formation>
<modalites-entrees-sorties>0</modalites-entrees-sorties>
<session numero="{sessionNumero}"><periode><debut>{debut}</debut><fin>{fin}</fin></periode><adresse-inscription><adresse><ligne>-</ligne><codepostal>33000</codepostal><ville>Bordeaux</ville></adresse></adresse-inscription></session>
<langue-formation>{langue}</langue-formation>
<nombre-heures-centre>400</nombre-heures-centre>
</action>
<organisme-formation-responsable>
<numero-activite>99999999999</numero-activite>
<SIRET-organisme-formation><SIRET>{siret}</SIRET></SIRET-organisme-formation>
<nom-organisme>Organisme du test</nom-organisme>
<raison-sociale>-</raison-sociale>
<coordonnees-organisme><coordonnees><adresse><ligne>1 rue du Test</ligne><codepostal>64000</codepostal><ville>Pau</ville></adresse></coordonnees></coordonnees-organisme>
<contact-organisme><coordonnees/></contact-organisme>
</organisme-formation-responsable>
</formation>
</offres>
</lheo>
""";

    /// <summary>Row counts and the import-relevant state: equal snapshots mean the database is unchanged.</summary>
    public static async Task<string> SnapshotAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        var fiches = await db.FicheActions.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Id + ":" + f.Title + ":" + f.Status).ToListAsync();
        var sessions = await db.Sessions.CountAsync();
        var organisations = await db.Organisations.CountAsync();
        return $"{organisations} organisations, {sessions} sessions, fiches [{string.Join(", ", fiches)}]";
    }
}
