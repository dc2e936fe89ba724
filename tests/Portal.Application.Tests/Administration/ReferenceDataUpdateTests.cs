using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Application.Features.Administration;
using Portal.Application.Features.Fiches;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Administration;

/// <summary>
/// Issue #14, point 3: the administrator updates the communes and the ROME codes from the producers' files, read as
/// they are published in <c>../shared/data</c> (beside the repository). Each test has its own demo database.
/// The expected figures are counted here from the files with plain string splitting, not with the portal's reader.
/// </summary>
public sealed class ReferenceDataUpdateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<(TestDatabase Db, CurrentUser Admin)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        return (db, await TestUsers.ForAsync(db, TestUsers.Admin));
    }

    private static PreviewReferenceUpdate.Handler Preview(TestDatabase db) => new(db);

    private static ApplyReferenceUpdate.Handler Apply(TestDatabase db, ILiveNotifier? notifier = null) =>
        new(db, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestDatabase.DefaultNow), notifier ?? NoSubscriber, NullLogger<ApplyReferenceUpdate>.Instance);

    /// <summary>A live notifier nobody listens to, for the tests that do not look at what an update publishes.</summary>
    private static readonly ILiveNotifier NoSubscriber = new Portal.Infrastructure.Live.LiveNotifier(
        new Portal.Infrastructure.Live.InProcessBackplane(), NullLogger<Portal.Infrastructure.Live.LiveNotifier>.Instance);

    [Fact]
    public async Task TheSameCommunesFile_AsShipped_ChangesNothing_AndCannotBeApplied()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        var file = await File.ReadAllBytesAsync(SharedData.PathOf("geo", "communes-nouvelle-aquitaine.csv"), Ct);
        var lines = Encoding.UTF8.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1; // header

        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.Communes, file), admin, Ct);

        preview.Errors.ShouldBeEmpty();
        lines.ShouldBe(4293);
        (preview.FileRows, preview.Added, preview.Changed, preview.Unchanged, preview.Absent).ShouldBe((4293, 0, 0, 4293, 0));
        preview.CanApply.ShouldBeFalse();
        var refused = await Should.ThrowAsync<DomainException>(() => Apply(db).HandleAsync(new ApplyReferenceUpdate(ReferenceList.Communes, file), admin, Ct));
        refused.Message.ShouldBe("Le fichier ne change rien : les 4293 communes qu'il contient sont déjà à jour.");
    }

    [Fact]
    public async Task TheFranceWideGeoApiExtract_IsReadAsPublished_AndPreviewsEveryNewCommune()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        var path = SharedData.PathOf("geo", "communes-france-geoapi-2023-12.csv");
        // Codes counted by hand from both files: the 2nd quoted field of the extract, the 1st field of the shipped file.
        var france = File.ReadLines(path).Skip(1).Select(l => l.Split("\",\"")[1]).ToHashSet();
        var shipped = File.ReadLines(SharedData.PathOf("geo", "communes-nouvelle-aquitaine.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();

        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.Communes, await File.ReadAllBytesAsync(path, Ct)), admin, Ct);

        preview.Errors.ShouldBeEmpty();
        france.Count.ShouldBe(34945);
        preview.FileRows.ShouldBe(34945);
        preview.Added.ShouldBe(france.Except(shipped).Count());
        preview.Absent.ShouldBe(shipped.Except(france).Count());
        (preview.Added + preview.Changed + preview.Unchanged).ShouldBe(34945);
        preview.Changes.Count.ShouldBe(ReferencePreview.MaxChangesShown);
        preview.Changes.ShouldContain(c => c.Code == "75056" && c.Name == "Paris" && c.Added);
        await using var check = db.CreateDbContext();
        (await check.Communes.CountAsync(Ct)).ShouldBe(4293); // a preview writes nothing
    }

    [Fact]
    public async Task AChangedCommune_IsShownThenApplied_AndItsCandidatesObservatoryFactsFollow_Q3()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        // A commune where a demo candidate with a prescription lives.
        string insee;
        await using (var read = db.CreateDbContext())
        {
            insee = await read.AllPrescriptions.Join(read.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => c.CommuneInsee)
                .Where(c => c != null).OrderBy(c => c).FirstAsync(Ct) ?? "";
        }
        var lines = (await File.ReadAllLinesAsync(SharedData.PathOf("geo", "communes-nouvelle-aquitaine.csv"), Ct)).ToList();
        var index = lines.FindIndex(l => l.StartsWith(insee + ",", StringComparison.Ordinal));
        var fields = lines[index].Split(',');
        var name = fields[1];
        // Département 99 (a département code the charter does not know: only to see the facts follow), population 12345.
        fields[2] = "99";
        fields[6] = "12345";
        lines[index] = string.Join(',', fields);
        lines.Add("99001,Commune nouvelle d'essai,99,Département d'essai,75,99100,250,45.0,0.5");
        var file = Utf8(string.Join('\n', lines));

        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.Communes, file), admin, Ct);

        (preview.Added, preview.Changed, preview.Unchanged, preview.Absent).ShouldBe((1, 1, 4292, 0));
        preview.Changes.ShouldContain(new ReferenceChange("99001", "Commune nouvelle d'essai", true, "ajoutée"));
        var changed = preview.Changes.Single(c => !c.Added);
        changed.Code.ShouldBe(insee);
        changed.Name.ShouldBe(name);
        changed.What.ShouldContain("département : ");
        changed.What.ShouldContain("→ 99");
        changed.What.ShouldContain("→ 12345");

        var result = await Apply(db).HandleAsync(new ApplyReferenceUpdate(ReferenceList.Communes, file), admin, Ct);

        (result.Added, result.Changed).ShouldBe((1, 1));
        await using var after = db.CreateDbContext();
        var commune = await after.Communes.SingleAsync(c => c.InseeCode == insee, Ct);
        (commune.DepartementCode, commune.Population, commune.Name).ShouldBe(("99", 12345, name));
        (await after.Communes.CountAsync(Ct)).ShouldBe(4294);
        var facts = await after.AllPrescriptions.Join(after.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => new { p, c.CommuneInsee })
            .Where(x => x.CommuneInsee == insee)
            .Select(x => EF.Property<string?>(x.p, ObservatoryFacts.ResidenceDepartement)).ToListAsync(Ct);
        facts.ShouldNotBeEmpty();
        facts.ShouldAllBe(d => d == "99");
    }

    [Fact]
    public async Task AFileWithErrors_IsRefusedWithEachLineNumber_AndNothingIsWritten()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        var file = Utf8("""
            code_insee,nom,code_departement,nom_departement,code_region,codes_postaux,population,latitude,longitude
            33063,Bordeaux,33,Gironde,75,33000|33100|33200|33300|33800,261804,44.8624,-0.5848
            3306,Bordeaux tronqué,33,Gironde,75,33000,1,44.8,-0.5
            33999,Commune d'essai,33,Gironde,75,33999,10,44.8,-0.5
            33998,Commune au pôle,33,Gironde,75,33998,10,123.4,-0.5
            33063,Bordeaux encore,33,Gironde,75,33000,1,44.8,-0.5
            33997,Commune sans nom,33,Gironde,75,3399,x,44.8,-0.5
            """);

        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.Communes, file), admin, Ct);
        var refused = await Should.ThrowAsync<DomainException>(() => Apply(db).HandleAsync(new ApplyReferenceUpdate(ReferenceList.Communes, file), admin, Ct));

        preview.Errors.ShouldBe([
            "Ligne 3 : code INSEE « 3306 » invalide (5 caractères, ex. 33063 ou 2A004).",
            "Ligne 5 : latitude « 123.4 » invalide (nombre décimal entre -90 et 90).",
            "Ligne 6 : code INSEE 33063 déjà présent ligne 2.",
            "Ligne 7 : code postal « 3399 » invalide (5 chiffres) ; population « x » invalide (nombre entier).",
        ]);
        refused.Message.ShouldStartWith("Fichier refusé, rien n'a été modifié.\nLigne 3 : ");
        await using var check = db.CreateDbContext();
        (await check.Communes.CountAsync(Ct)).ShouldBe(4293);
        (await check.Communes.AnyAsync(c => c.InseeCode == "33999", Ct)).ShouldBeFalse();
        (await check.AllAuditEntries.AnyAsync(Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task AMissingColumn_IsNamed()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;

        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.Communes, Utf8("code_insee;nom\n33063;Bordeaux\n")), admin, Ct);

        preview.Errors.ShouldBe(["Ligne 1 : colonnes manquantes : code_departement, nom_departement, codes_postaux, latitude, longitude."]);
    }

    [Fact]
    public async Task TheRomeXml_AsPublishedByFranceTravail_MatchesTheShippedList_AndAChangedCopyIsApplied()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        var xml = await File.ReadAllTextAsync(SharedData.PathOf("rome", "unix_referentiel_code_rome_v346_utf8.xml"), Ct);
        var codes = xml.Split("<code_rome>").Length - 1;

        var same = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes, Utf8(xml)), admin, Ct);

        codes.ShouldBe(532);
        (same.Format, same.FileRows, same.Added, same.Changed, same.Unchanged).ShouldBe(("XML", 532, 0, 0, 532));

        var changedXml = xml.Replace("<libelle>Sylviculture</libelle>", "<libelle>Sylviculture et gestion forestière</libelle>", StringComparison.Ordinal)
            .Replace("</ogr>", "<item_referentiel_code_rome><code_ogr>99999</code_ogr><code_rome>M1899</code_rome><libelle>Métier d'essai</libelle><statut1>1</statut1></item_referentiel_code_rome></ogr>", StringComparison.Ordinal);
        var preview = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes, Utf8(changedXml)), admin, Ct);
        var result = await Apply(db).HandleAsync(new ApplyReferenceUpdate(ReferenceList.RomeCodes, Utf8(changedXml)), admin, Ct);

        preview.Changes.ShouldBe([
            new ReferenceChange("A1205", "Sylviculture", false, "libellé : Sylviculture → Sylviculture et gestion forestière"),
            new ReferenceChange("M1899", "Métier d'essai", true, "ajouté"),
        ]);
        (result.Added, result.Changed, result.Absent).ShouldBe((1, 1, 0));
        await using var check = db.CreateDbContext();
        (await check.RomeCodes.SingleAsync(r => r.Code == "A1205", Ct)).Label.ShouldBe("Sylviculture et gestion forestière");
        (await check.RomeCodes.CountAsync(Ct)).ShouldBe(533);
        // Issue #14 (2): the update is in the audit log, with who, when and what.
        var audit = await check.AllAuditEntries.SingleAsync(a => a.Action == Portal.Domain.Audit.AuditAction.ReferenceListUpdated, Ct);
        (audit.ActorId, audit.At, audit.Target).ShouldBe((admin.UserId, TestDatabase.DefaultNow, "Codes ROME"));
        audit.After.ShouldBe("1 ajout(s), 1 modification(s), 0 absente(s) du fichier conservée(s)");
    }

    [Fact]
    public async Task AnAppliedRomeUpdate_ReachesTheFicheEditorsAutocomplete_WithoutARestart_O2()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        using var live = new RecordingNotifier<ReferenceListChanged>();
        using var references = new SearchFicheReferences.Handler(db, live.Notifier);
        // The editor has searched already: the list is read and held in memory.
        (await references.RomeCodesAsync(new SearchFicheReferences("M1899"), Ct)).ShouldBeEmpty();
        (await references.RomeCodesAsync(new SearchFicheReferences("A1205"), Ct)).ShouldBe([new ReferenceItem("A1205", "Sylviculture")]);
        var xml = await File.ReadAllTextAsync(SharedData.PathOf("rome", "unix_referentiel_code_rome_v346_utf8.xml"), Ct);
        var changedXml = xml.Replace("<libelle>Sylviculture</libelle>", "<libelle>Sylviculture et gestion forestière</libelle>", StringComparison.Ordinal)
            .Replace("</ogr>", "<item_referentiel_code_rome><code_ogr>99999</code_ogr><code_rome>M1899</code_rome><libelle>Métier d'essai</libelle><statut1>1</statut1></item_referentiel_code_rome></ogr>", StringComparison.Ordinal);

        await Apply(db, live.Notifier).HandleAsync(new ApplyReferenceUpdate(ReferenceList.RomeCodes, Utf8(changedXml)), admin, Ct);

        live.Published.ShouldBe([new ReferenceListChanged(ReferenceList.RomeCodes)]); // every subscriber served
        (await references.RomeCodesAsync(new SearchFicheReferences("M1899"), Ct)).ShouldBe([new ReferenceItem("M1899", "Métier d'essai")]);
        (await references.RomeCodesAsync(new SearchFicheReferences("A1205"), Ct)).ShouldBe([new ReferenceItem("A1205", "Sylviculture et gestion forestière")]);
    }

    [Fact]
    public async Task TheRomeCsv_AndItsErrors_WithLineNumbers_AndBrokenXml()
    {
        var (db, admin) = await ArrangeAsync();
        await using var _ = db;
        var csv = await File.ReadAllBytesAsync(SharedData.PathOf("rome", "rome-v3-codes.csv"), Ct);

        var same = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes, csv), admin, Ct);
        var bad = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes,
            Utf8("code_rome,libelle\nA1101,Conduite d'engins\n1101,Sans lettre\nA1102,\n")), admin, Ct);
        var broken = await Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes,
            Utf8("<ogr>\n<item_referentiel_code_rome>\n<code_rome>A1101</code_rome>\n</ogr>")), admin, Ct);

        (same.Format, same.FileRows, same.Added, same.Changed).ShouldBe(("CSV", 532, 0, 0));
        bad.Errors.ShouldBe([
            "Ligne 3 : code ROME « 1101 » invalide (une lettre et quatre chiffres, ex. N1101).",
            "Ligne 4 : libellé manquant.",
        ]);
        broken.Errors.Single().ShouldStartWith("Ligne 4 : XML mal formé");
    }

    [Fact]
    public async Task OnlyTheAdministrator_PreviewsOrApplies()
    {
        var (db, _) = await ArrangeAsync();
        await using var __ = db;
        var region = await TestUsers.ForAsync(db, TestUsers.Claire);
        var file = Utf8("code_rome,libelle\nM1899,Métier d'essai\n");

        await Should.ThrowAsync<AccessDeniedException>(() => Preview(db).HandleAsync(new PreviewReferenceUpdate(ReferenceList.RomeCodes, file), region, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Apply(db).HandleAsync(new ApplyReferenceUpdate(ReferenceList.RomeCodes, file), region, Ct));

        await using var check = db.CreateDbContext();
        (await check.RomeCodes.AnyAsync(r => r.Code == "M1899", Ct)).ShouldBeFalse();
    }
}
