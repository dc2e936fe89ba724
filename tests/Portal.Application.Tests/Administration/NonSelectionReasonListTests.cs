using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Administration;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.FollowUp;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Administration;

/// <summary>
/// Issue #14 (3), ADR 0026: the non-selection reasons are a reference list the administrator updates from a file
/// (preview, apply, all or nothing, errors with their line numbers); the kinds keep S5 and S7; decisions store the
/// code and the kind; prescribers and candidates read the code's label. No sample reasons file exists in
/// <c>../shared/data</c>: the tests write theirs. Each test has its own demo database (they change the list).
/// </summary>
public sealed class NonSelectionReasonListTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DemoDatabase _fixture = new();
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingPrescriptionChanges _recording = new();

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        _recording.Dispose();
        await _fixture.DisposeAsync();
    }

    private TestDatabase Db => _fixture.Database;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private PreviewReferenceUpdate.Handler Preview => new(Db);

    private ApplyReferenceUpdate.Handler Apply => new(Db, _clock, _recording.Notifier, NullLogger<ApplyReferenceUpdate>.Instance);

    private NotSelectCandidate.Handler Refuse => new(Db, _clock, _recording.Notifier);

    /// <summary>The sample update file, written by the test as a Région would (semicolons, categories by label or by name).</summary>
    private static async Task<byte[]> SampleFileAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"motifs-non-selection-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, """
            code;libelle;categorie;actif
            PREREQUIS;Prérequis non atteints;Prérequis non atteints;oui
            PROJET;Projet professionnel à confirmer;ProjectNotValidated;oui
            INDISPONIBLE;Candidat indisponible aux dates de la session;Candidat indisponible aux dates de la session;non
            INJOIGNABLE;Candidat injoignable;candidat injoignable;oui
            COMPLET;Session complète;Session complète;oui
            ABSENCE_IC;Absence à l'information collective;AbsentFromInfoSession;oui
            ABSENCE_ENTRETIEN;Absence à l'entretien individuel;Absence à l'information collective;oui

            """, Encoding.UTF8, Ct);
        try
        {
            return await File.ReadAllBytesAsync(path, Ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<IReadOnlyList<NonSelectionReasonChoice>> ListAsync(bool activeOnly, CurrentUser user) =>
        await new GetNonSelectionReasons.Handler(Db).HandleAsync(new GetNonSelectionReasons(activeOnly), user, Ct);

    /// <summary>A session of Julie's with <paramref name="count"/> candidates of Camille's met (or absent) at the info session.</summary>
    private async Task<(Guid Session, List<Guid> Prescriptions)> SessionAsync(int count, PrescriptionStatus status = PrescriptionStatus.Attended)
    {
        var camille = await _fixture.UserAsync(TestUsers.Camille);
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(Db, julie.OrganisationId, new DateOnly(2027, 2, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var candidate = await new CreateCandidate.Handler(Db, _clock).HandleAsync(new CreateCandidate($"Motif{i}", "Liste", new DateOnly(1998, 1, 1 + i), "33063"), camille, Ct);
            ids.Add(await new Prescribe.Handler(Db, _clock, _recording.Notifier).HandleAsync(new Prescribe(candidate, session.Id, PrescribeTests.Form), camille, Ct));
        }
        await using var db = Db.CreateDbContext();
        foreach (var p in await db.AllPrescriptions.Where(p => ids.Contains(p.Id)).ToListAsync(Ct))
        {
            Meetings.ConvokeAt(db, p, julie.UserId, _clock.GetUtcNow());
            p.RecordAttendance(status, julie.UserId, _clock.GetUtcNow(), status == PrescriptionStatus.AbsentJustified ? "Rendez-vous médical, prévenu" : null);
        }
        await db.SaveChangesAsync(Ct);
        return (session.Id, ids);
    }

    private async Task<Prescription> LoadAsync(Guid id)
    {
        await using var db = Db.CreateDbContext();
        return await db.AllPrescriptions.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
    }

    private async Task<DecisionTarget> TargetAsync(Guid id) => new(id, (await LoadAsync(id)).Version);

    private static NonSelectionReason Code(string code, string? detail = null) => new(NonSelectionReasonKind.Other, detail, code);

    [Fact]
    public async Task TheInstalledList_IsOneActiveReasonPerKind_WithTheLabelsUsedBefore_ADR0026()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);

        var list = await ListAsync(activeOnly: true, julie);

        list.Select(r => (r.Code, r.Label, r.Kind, r.Active)).ShouldBe([
            ("PREREQUIS", "Prérequis non atteints", NonSelectionReasonKind.PrerequisitesNotMet, true),
            ("PROJET", "Projet professionnel non validé", NonSelectionReasonKind.ProjectNotValidated, true),
            ("INDISPONIBLE", "Candidat indisponible aux dates de la session", NonSelectionReasonKind.Unavailable, true),
            ("INJOIGNABLE", "Candidat injoignable", NonSelectionReasonKind.NotReachable, true),
            ("COMPLET", "Session complète", NonSelectionReasonKind.SessionFull, true),
            ("ABSENCE_IC", "Absence à l'information collective", NonSelectionReasonKind.AbsentFromInfoSession, true),
            ("AUTRE", "Autre motif", NonSelectionReasonKind.Other, true),
        ]);
    }

    [Fact]
    public async Task TheSampleFile_IsPreviewedWithItsCounts_ThenApplied_AbsentReasonsKept_AndAudited_ADR0026()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var file = await SampleFileAsync();

        var preview = await Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct);

        preview.Errors.ShouldBeEmpty();
        // 7 lines: 1 added (ABSENCE_ENTRETIEN), 2 changed (PROJET's label, INDISPONIBLE inactive), 4 unchanged; AUTRE is absent and kept.
        (preview.Format, preview.FileRows, preview.Added, preview.Changed, preview.Unchanged, preview.Absent).ShouldBe(("CSV", 7, 1, 2, 4, 1));
        preview.Changes.ShouldBe([
            new ReferenceChange("PROJET", "Projet professionnel non validé", false, "libellé : Projet professionnel non validé → Projet professionnel à confirmer"),
            new ReferenceChange("INDISPONIBLE", "Candidat indisponible aux dates de la session", false, "désactivé : n'est plus proposé"),
            new ReferenceChange("ABSENCE_ENTRETIEN", "Absence à l'entretien individuel", true, "ajouté (Absence à l'information collective)"),
        ]);
        await using (var before = Db.CreateDbContext())
            (await before.NonSelectionReasons.CountAsync(Ct)).ShouldBe(7); // a preview writes nothing

        var result = await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct);

        (result.Added, result.Changed, result.Absent).ShouldBe((1, 2, 1));
        (await ListAsync(activeOnly: false, admin)).Select(r => (r.Code, r.Label, r.Kind, r.Active, r.DisplayOrder)).ShouldBe([
            ("PREREQUIS", "Prérequis non atteints", NonSelectionReasonKind.PrerequisitesNotMet, true, 1),
            ("PROJET", "Projet professionnel à confirmer", NonSelectionReasonKind.ProjectNotValidated, true, 2),
            ("INDISPONIBLE", "Candidat indisponible aux dates de la session", NonSelectionReasonKind.Unavailable, false, 3),
            ("INJOIGNABLE", "Candidat injoignable", NonSelectionReasonKind.NotReachable, true, 4),
            ("COMPLET", "Session complète", NonSelectionReasonKind.SessionFull, true, 5),
            ("ABSENCE_IC", "Absence à l'information collective", NonSelectionReasonKind.AbsentFromInfoSession, true, 6),
            ("ABSENCE_ENTRETIEN", "Absence à l'entretien individuel", NonSelectionReasonKind.AbsentFromInfoSession, true, 7),
            ("AUTRE", "Autre motif", NonSelectionReasonKind.Other, true, 7),
        ]);
        (await ListAsync(activeOnly: true, await _fixture.UserAsync(TestUsers.Julie))).Select(r => r.Code)
            .ShouldBe(["PREREQUIS", "PROJET", "INJOIGNABLE", "COMPLET", "ABSENCE_IC", "ABSENCE_ENTRETIEN", "AUTRE"]);
        await using var check = Db.CreateDbContext();
        var audit = await check.AllAuditEntries.SingleAsync(a => a.Action == Domain.Audit.AuditAction.ReferenceListUpdated, Ct);
        (audit.ActorId, audit.At, audit.Target, audit.Before).ShouldBe((admin.UserId, DemoDatabase.SeededAt, "Motifs de non-sélection", "7 lignes dans le fichier (CSV)"));
        audit.After.ShouldBe("1 ajout(s), 2 modification(s), 1 absente(s) du fichier conservée(s)");

        // The same file again changes nothing and cannot be applied.
        var again = await Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct);
        (again.Added, again.Changed, again.Unchanged, again.CanApply).ShouldBe((0, 0, 7, false));
    }

    [Fact]
    public async Task AFileWithErrors_IsRefusedWithEachLineNumber_AndNothingIsWritten_ADR0026()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var file = Utf8($"""
            code;libelle;categorie;actif
            PREREQUIS;Prérequis non atteints;Prérequis non atteints;oui
            motif é;Code accentué;Autre motif;oui
            NOUVEAU;Nouveau motif;Refus du financeur;oui
            PROJET;Projet;Projet professionnel non validé;peut-être
            PREREQUIS;Encore;Prérequis non atteints;oui
            LONG;{new string('x', 201)};Autre motif;non
            """);

        var preview = await Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct);
        var refused = await Should.ThrowAsync<DomainException>(() => Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct));

        preview.Errors.ShouldBe([
            "Ligne 3 : code « MOTIF É » invalide (1 à 20 lettres sans accent, chiffres ou _, ex. PREREQUIS).",
            "Ligne 4 : catégorie « Refus du financeur » inconnue (attendu : « Prérequis non atteints », « Projet professionnel non validé », "
                + "« Candidat indisponible aux dates de la session », « Candidat injoignable », « Session complète », « Absence à l'information collective », « Autre motif »).",
            "Ligne 5 : actif « peut-être » invalide (oui ou non).",
            "Ligne 6 : code PREREQUIS déjà présent ligne 2.",
            "Ligne 7 : libellé trop long (200 caractères au plus).",
        ]);
        refused.Message.ShouldStartWith("Fichier refusé, rien n'a été modifié.\nLigne 3 : ");
        var missing = await Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, Utf8("code;libelle\nAUTRE;Autre motif\n")), admin, Ct);
        missing.Errors.ShouldBe(["Ligne 1 : colonnes manquantes : categorie, actif."]);
        await using var check = Db.CreateDbContext();
        (await check.NonSelectionReasons.CountAsync(Ct)).ShouldBe(7);
        (await check.NonSelectionReasons.SingleAsync(r => r.Code == "PROJET", Ct)).Label.ShouldBe("Projet professionnel non validé");
        (await check.AllAuditEntries.AnyAsync(a => a.Action == Domain.Audit.AuditAction.ReferenceListUpdated, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task AFileLeavingNoActiveReason_IsRefused_S7()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var lines = string.Join('\n', NonSelectionReasonEntry.Seed.Select(s => $"{s.Code};{s.Kind.Label()};{s.Kind};non"));
        var file = Utf8("code;libelle;categorie;actif\n" + lines);

        var preview = await Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct);
        var refused = await Should.ThrowAsync<DomainException>(() => Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, file), admin, Ct));

        preview.Errors.Single().ShouldStartWith("Après cette mise à jour, aucun motif ne serait actif");
        refused.Message.ShouldContain("gardez au moins un motif actif");
        await using var check = Db.CreateDbContext();
        (await check.NonSelectionReasons.CountAsync(r => r.Active, Ct)).ShouldBe(7);
    }

    [Fact]
    public async Task OnlyTheAdministrator_UpdatesTheList()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var file = Utf8("code;libelle;categorie;actif\nNOUVEAU;Nouveau motif;Autre motif;oui\n");

        await Should.ThrowAsync<AccessDeniedException>(() => Preview.HandleAsync(new PreviewReferenceUpdate(ReferenceList.NonSelectionReasons, file), julie, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, file), julie, Ct));

        await using var check = Db.CreateDbContext();
        (await check.NonSelectionReasons.AnyAsync(r => r.Code == "NOUVEAU", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task AnInactiveReason_IsRefusedInANewDecision_AndTheDecisionsThatGaveItStillShowIt_S7()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var camille = await _fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await SessionAsync(2);
        await Refuse.HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]), [Code("INDISPONIBLE")], "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, await SampleFileAsync()), admin, Ct);

        var second = await TargetAsync(ids[1]);
        var ex = await Should.ThrowAsync<DomainException>(() => Refuse.HandleAsync(
            new NotSelectCandidate(session, second, [Code("INDISPONIBLE")], "Pour le candidat", "Pour le prescripteur"), julie, Ct));

        ex.Rule.ShouldBe("S7");
        ex.Message.ShouldBe("Le motif « Candidat indisponible aux dates de la session » n'est plus proposé : rechargez l'écran et choisissez un motif de la liste à jour.");
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Attended);
        var unknown = await Should.ThrowAsync<DomainException>(() => Refuse.HandleAsync(
            new NotSelectCandidate(session, second, [Code("INCONNU")], "Pour le candidat", "Pour le prescripteur"), julie, Ct));
        unknown.Message.ShouldBe("Motif de non-sélection inconnu : « INCONNU ».");
        var seen = await new GetPrescription.Handler(Db, TimeProvider.System).HandleAsync(new GetPrescription(ids[0]), camille, Ct);
        seen.Outcome!.Reasons.ShouldBe(["Candidat indisponible aux dates de la session"]);
    }

    [Fact]
    public async Task ANewReasonOfTheAbsenceKind_CannotAloneRefuseAJustifiedAbsence_S5()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons, await SampleFileAsync()), admin, Ct);
        var (session, ids) = await SessionAsync(1, PrescriptionStatus.AbsentJustified);

        // The caller's kind is not trusted: the list's kind (absence) is what S5 checks.
        var target = await TargetAsync(ids[0]);
        var ex = await Should.ThrowAsync<DomainException>(() => Refuse.HandleAsync(new NotSelectCandidate(session, target,
            [new NonSelectionReason(NonSelectionReasonKind.SessionFull, null, "ABSENCE_ENTRETIEN")], "Pour le candidat", "Pour le prescripteur"), julie, Ct));

        ex.Rule.ShouldBe("S5");
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.AbsentJustified);

        await Refuse.HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]),
            [Code("ABSENCE_ENTRETIEN"), Code("COMPLET")], "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        var stored = await LoadAsync(ids[0]);
        stored.Status.ShouldBe(PrescriptionStatus.NotSelected);
        stored.NonSelectionReasons.ShouldBe([
            new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession, null, "ABSENCE_ENTRETIEN"),
            new NonSelectionReason(NonSelectionReasonKind.SessionFull, null, "COMPLET"),
        ]);
        stored.DecisionReasons.ShouldBe("Absence à l'entretien individuel ; Session complète");
    }

    [Fact]
    public async Task ThePrescriberAndTheCandidate_ReadTheLabelsOfTheList_AsTheyStand_S7()
    {
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var camille = await _fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await SessionAsync(1);
        await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons,
            Utf8("code;libelle;categorie;actif\nMOBILITE;Pas de solution de transport jusqu'au lieu de formation;Candidat indisponible aux dates de la session;oui\n")), admin, Ct);

        // A reason given by its kind only (as the arbitrator does) takes the code of the list's first reason of that kind.
        await Refuse.HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]),
            [Code("MOBILITE"), NonSelectionReason.Prerequisite("Permis B")], "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons,
            Utf8("code;libelle;categorie;actif\nMOBILITE;Lieu de formation inaccessible sans véhicule;Candidat indisponible aux dates de la session;non\n")), admin, Ct);

        var stored = await LoadAsync(ids[0]);
        stored.NonSelectionReasons.ShouldBe([
            new NonSelectionReason(NonSelectionReasonKind.Unavailable, null, "MOBILITE"),
            new NonSelectionReason(NonSelectionReasonKind.PrerequisitesNotMet, "Permis B", "PREREQUIS"),
        ]);
        var seen = await new GetPrescription.Handler(Db, TimeProvider.System).HandleAsync(new GetPrescription(ids[0]), camille, Ct);
        seen.Outcome!.Reasons.ShouldBe(["Lieu de formation inaccessible sans véhicule", "Prérequis non atteints : Permis B"]);
        var candidateId = stored.CandidateId;
        var link = await new CreateCandidateLink.Handler(Db, _clock, CandidateLinkSettings.Default).HandleAsync(new CreateCandidateLink(candidateId), camille, Ct);
        var view = (await new GetCandidateFollowUp.Handler(Db, _clock).HandleAsync(new GetCandidateFollowUp(link.Token), Ct)).ShouldNotBeNull();
        view.Choices.Single(c => c.PrescriptionId == ids[0]).NonSelectionReasons
            .ShouldBe(["Lieu de formation inaccessible sans véhicule", "Prérequis non atteints : Permis B"]);
    }

    [Fact]
    public async Task AReasonWhoseCodeIsNotInTheList_ReadsWithItsKindsLabel_S7()
    {
        var camille = await _fixture.UserAsync(TestUsers.Camille);
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var admin = await _fixture.UserAsync(TestUsers.Admin);
        var (session, ids) = await SessionAsync(1);
        await Apply.HandleAsync(new ApplyReferenceUpdate(ReferenceList.NonSelectionReasons,
            Utf8("code;libelle;categorie;actif\nCOMPLET;Plus aucune place;SessionFull;oui\n")), admin, Ct);
        await Refuse.HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]), [Code("COMPLET")], "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        (await LoadAsync(ids[0])).DecisionReasons.ShouldBe("Plus aucune place");
        await using (var db = Db.CreateDbContext())
        {
            // A code the list no longer knows (as a row written by hand would be).
            db.NonSelectionReasons.Remove(await db.NonSelectionReasons.SingleAsync(r => r.Code == "COMPLET", Ct));
            await db.SaveChangesAsync(Ct);
        }

        var seen = await new GetPrescription.Handler(Db, TimeProvider.System).HandleAsync(new GetPrescription(ids[0]), camille, Ct);

        seen.Outcome!.Reasons.ShouldBe(["Session complète"]);
    }
}
