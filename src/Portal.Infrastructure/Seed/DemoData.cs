using Microsoft.EntityFrameworkCore;
using Portal.Domain.Candidates;
using Portal.Domain.Notifications;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Seed;

/// <summary>
/// A believable Nouvelle-Aquitaine dataset for demos and `dotnet run`: two départements (Gironde,
/// Pyrénées-Atlantiques), several organisations of each kind, one demo account per role at least,
/// fiches action in every state, sessions and prescriptions in every state. All names are invented.
/// </summary>
public static class DemoData
{
    public const string EmailDomain = "demo.portail-formation.fr";

    public static string Email(string local) => $"{local}@{EmailDomain}";

    public static async Task SeedAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = TrainingSession.Today(now);

        var gironde = new Territory("33", "Gironde", TerritoryKind.Departement, "33");
        var pa = new Territory("64", "Pyrénées-Atlantiques", TerritoryKind.Departement, "64");
        var zeBordeaux = new Territory("ZE7501", "Zone d'emploi de Bordeaux", TerritoryKind.EmploymentZone, "33", gironde.Id);
        var zePau = new Territory("ZE7517", "Zone d'emploi de Pau", TerritoryKind.EmploymentZone, "64", pa.Id);
        db.Territories.AddRange(gironde, pa, zeBordeaux, zePau);

        Organisation Org(string name, OrganisationKind kind, Territory t, string siret)
        {
            var o = new Organisation(name, kind, t.Id, siret);
            db.Organisations.Add(o);
            return o;
        }

        var region = Org("Région Nouvelle-Aquitaine", OrganisationKind.Region, gironde, "20005375900011");
        var carif = Org("Cap Métiers Nouvelle-Aquitaine", OrganisationKind.CarifOref, gironde, "20003906200016");
        var mfeGironde = Org("MFE du Médoc", OrganisationKind.Mfe, gironde, "13002526500013");
        var mfeBearn = Org("MFE du Béarn", OrganisationKind.Mfe, pa, "13002526500021");
        var mlTechnowest = Org("Mission Locale Technowest", OrganisationKind.MissionLocale, zeBordeaux, "41234567800015");
        var mlPau = Org("Mission Locale Pau-Pyrénées", OrganisationKind.MissionLocale, zePau, "41234567800023");
        var ftBastide = Org("France Travail Bordeaux Bastide", OrganisationKind.FranceTravail, zeBordeaux, "13000548100019");
        var ftPau = Org("France Travail Pau Université", OrganisationKind.FranceTravail, zePau, "13000548100027");
        var capEmploi33 = Org("Cap Emploi Gironde", OrganisationKind.CapEmploi, gironde, "77568899100012");
        var capEmploi64 = Org("Cap Emploi Pyrénées-Atlantiques", OrganisationKind.CapEmploi, pa, "77568899100020");
        var ofGironde = Org("Formapro Gironde", OrganisationKind.TrainingBody, zeBordeaux, "52345678900011");
        var ofAtlantique = Org("Atlantique Compétences", OrganisationKind.TrainingBody, zeBordeaux, "52345678900029");
        var ofBearn = Org("Béarn Formation Pro", OrganisationKind.TrainingBody, zePau, "52345678900037");
        var ofSoin = Org("Institut des métiers du soin de Pau", OrganisationKind.TrainingBody, zePau, "52345678900045");

        AppUser User(string local, string given, string family, Organisation org, params Role[] roles)
        {
            var email = Email(local);
            var u = new AppUser(email, given, family, DevOidcProvider.DemoSubjectPrefix + email);
            foreach (var role in roles) u.Join(org, role);
            db.Users.Add(u);
            return u;
        }

        var camille = User("camille.durand", "Camille", "Durand", mlTechnowest, Role.Prescripteur);
        var lucas = User("lucas.martin", "Lucas", "Martin", ftPau, Role.Prescripteur);
        var ines = User("ines.petit", "Inès", "Petit", capEmploi33, Role.Prescripteur);
        var hugo = User("hugo.lambert", "Hugo", "Lambert", ftBastide, Role.Prescripteur);
        var lea = User("lea.garcia", "Léa", "Garcia", mlPau, Role.Prescripteur);
        var nora = User("nora.benali", "Nora", "Benali", capEmploi64, Role.Prescripteur);
        var sophie = User("sophie.bernard", "Sophie", "Bernard", mlTechnowest, Role.ReferentFormation);
        User("karim.haddad", "Karim", "Haddad", ftPau, Role.ReferentFormation);
        var julie = User("julie.moreau", "Julie", "Moreau", ofGironde, Role.OrganismeFormation);
        User("antoine.roche", "Antoine", "Roche", ofAtlantique, Role.OrganismeFormation);
        var thomas = User("thomas.laurent", "Thomas", "Laurent", ofBearn, Role.OrganismeFormation);
        User("marie.dupuy", "Marie", "Dupuy", ofSoin, Role.OrganismeFormation);
        User("claire.lefevre", "Claire", "Lefèvre", region, Role.Region);
        User("nicolas.roux", "Nicolas", "Roux", carif, Role.Carif);
        User("aurelie.fournier", "Aurélie", "Fournier", mfeGironde, Role.Mfe);
        User("pierre.girard", "Pierre", "Girard", mfeBearn, Role.Mfe);
        User("admin", "Alex", "Administrateur", region, Role.Admin);

        FicheAction Fiche(Organisation of, string title, EntryMode mode, string[] rome, string[] criteria, string prerequisites, int hours, FicheStatus target, string place = "33063")
        {
            var f = new FicheAction(of.Id, title, mode, now.AddDays(-90));
            f.Describe(
                objectives: $"Acquérir les compétences du métier visé par la formation « {title} » et accéder à l'emploi.",
                content: "Modules techniques, sécurité, communication professionnelle, techniques de recherche d'emploi, stage en entreprise.",
                prerequisites: prerequisites,
                admissionConditions: "Demandeur d'emploi inscrit ou jeune accompagné par une Mission Locale ; prescription obligatoire.",
                selectionModalities: "Information collective, tests de positionnement, entretien individuel de motivation.",
                selectionCriteria: criteria,
                romeCodes: rome,
                hoursInCentre: hours,
                hoursInCompany: hours / 3);
            f.DescribeDetails(
                expectedResults: "Titre professionnel ou certification visée ; accès à l'emploi dans les six mois.",
                targetPublic: "Demandeurs d'emploi, jeunes de 16 à 25 ans accompagnés, personnes en reconversion.",
                accessibility: "Locaux accessibles aux personnes à mobilité réduite ; aménagements possibles avec le référent handicap.",
                certificationLevel: "Niveau 3 (CAP, BEP)",
                contactName: "Accueil formation",
                contactEmail: $"contact@{TextSearchSlug(of.Name)}.exemple.fr",
                contactPhone: "05 00 00 00 00",
                trainingPlaces: [place]);
            f.DescribeOutcomes(
                jobProspects: "Métiers en tension sur le territoire : plusieurs dizaines d'offres par an chez les employeurs partenaires.",
                followOnPaths: "Accès direct à l'emploi ; poursuite possible vers une qualification de niveau supérieur ou un bloc de compétences complémentaire.");
            if (target != FicheStatus.Draft) f.Submit(now.AddDays(-60));
            if (target == FicheStatus.Validated) f.Validate(now.AddDays(-50));
            if (target == FicheStatus.Returned) f.Return("Préciser les critères de sélection et la durée en entreprise.");
            db.FicheActions.Add(f);
            return f;
        }

        var caces = Fiche(ofGironde, "Préparation au titre de cariste d'entrepôt (CACES R489)", EntryMode.Grouped, ["N1101"],
            ["Maîtrise des savoirs de base (lecture, calcul)", "Aptitude médicale au port de charges", "Projet professionnel dans la logistique validé"],
            "Savoir lire et compter ; aucune contre-indication médicale à la conduite d'engins.", 420, FicheStatus.Validated, "33281");
        var aideSoignant = Fiche(ofSoin, "Préparation aux concours d'aide-soignant", EntryMode.Grouped, ["J1501"],
            ["Niveau 3 (CAP/BEP) ou équivalent", "Expérience ou stage dans le soin", "Motivation pour le travail en équipe"],
            "Niveau CAP/BEP ; vaccinations à jour.", 350, FicheStatus.Validated, "64445");
        var numerique = Fiche(ofAtlantique, "Développeur web et web mobile", EntryMode.Permanent, ["M1805"],
            ["Logique et appétence pour le numérique (test)", "Anglais technique de base", "Disponibilité à temps plein"],
            "Usage courant de l'ordinateur ; niveau bac conseillé.", 700, FicheStatus.Validated);
        var batiment = Fiche(ofBearn, "Maçon du bâti ancien", EntryMode.Grouped, ["F1703"],
            ["Aptitude au travail en hauteur", "Savoirs de base", "Projet dans le bâtiment confirmé par une immersion"],
            "Aucune contre-indication au travail physique.", 560, FicheStatus.Validated, "64335");
        Fiche(ofBearn, "Agent de restauration collective", EntryMode.Permanent, ["G1603"],
            ["Savoirs de base", "Respect des règles d'hygiène"], "Aucun.", 300, FicheStatus.Submitted, "64445");
        Fiche(ofGironde, "Remise à niveau vers les métiers de la logistique", EntryMode.Permanent, ["N1103"],
            ["Projet vers la logistique"], "Aucun.", 200, FicheStatus.Returned);
        Fiche(ofAtlantique, "Technicien d'assistance informatique", EntryMode.Grouped, ["I1401"],
            ["Appétence technique"], "Niveau bac.", 600, FicheStatus.Draft);

        TrainingSession Session(FicheAction f, int startInDays, int capacity, string insee, int durationDays = 120)
        {
            var start = today.AddDays(startInDays);
            var s = new TrainingSession(f, start, start.AddDays(durationDays), start.AddDays(-7), capacity, insee,
                f.EntryMode == EntryMode.Grouped ? start.AddDays(14) : null);
            if (s.PublicationDate <= today) s.Publish(now);
            db.Sessions.Add(s);
            return s;
        }

        // The regional order (O3): a lot still in tender, one past its deadline, one awarded, one infructueux.
        db.OrderLots.Add(new Portal.Domain.Order.OrderLot("Lot 12 – Logistique et transport, Gironde", gironde.Id, 48, today.AddDays(30), now.AddDays(-20)));
        db.OrderLots.Add(new Portal.Domain.Order.OrderLot("Lot 21 – Services à la personne, Béarn", pa.Id, 24, today.AddDays(-5), now.AddDays(-60)));
        var awarded = new Portal.Domain.Order.OrderLot("Lot 7 – Bâtiment second œuvre, Béarn", pa.Id, 20, today.AddDays(-40), now.AddDays(-120));
        awarded.Award(ofBearn.Id, batiment.Id, ficheValidated: true, now.AddDays(-30));
        db.OrderLots.Add(awarded);
        var unsuccessful = new Portal.Domain.Order.OrderLot("Lot 30 – Métiers de la mer, Gironde", gironde.Id, 12, today.AddDays(-20), now.AddDays(-90));
        unsuccessful.DeclareUnsuccessful(now.AddDays(-10));
        db.OrderLots.Add(unsuccessful);

        var cacesOpen = Session(caces, 35, 12, "33281");        // Mérignac
        var cacesLater = Session(caces, 150, 12, "33281");      // planned: opens at start − 120 days (O4)
        var soinOpen = Session(aideSoignant, 50, 20, "64445");  // Pau
        var numOpen = Session(numerique, 20, 15, "33063");      // Bordeaux
        var batiOpen = Session(batiment, 60, 10, "64335");      // Lescar
        var numRunning = Session(numerique, -10, 15, "33063");
        numRunning.Close(now, 0);
        numRunning.StartRunning(now);
        // The offer's numbers (LHEO numero), by which EOS declares the entries (S11).
        numerique.LinkExternal("AF-2026-0118");
        numRunning.LinkExternal("SE-2026-0412");
        _ = cacesLater;

        db.InfoSessions.AddRange(
            new InfoSession(cacesOpen.Id, InfoSessionKind.Collective, Portal.Domain.Common.FrenchTime.StartOfDay(today.AddDays(12)).AddHours(8 + 1), "Formapro Gironde, 12 avenue de l'Argonne, Mérignac", "Pièce d'identité, CV"),
            new InfoSession(soinOpen.Id, InfoSessionKind.Collective, Portal.Domain.Common.FrenchTime.StartOfDay(today.AddDays(20)).AddHours(8 + 1), "Institut des métiers du soin, 5 rue Carnot, Pau", "CV, diplômes"),
            new InfoSession(numOpen.Id, InfoSessionKind.Individual, Portal.Domain.Common.FrenchTime.StartOfDay(today.AddDays(9)).AddHours(12 + 1), "Atlantique Compétences, quai de Bacalan, Bordeaux"));

        // S2, S3: the meetings already held, to which the demo's convoked candidates were convoked 8 days ahead.
        var pastMeetings = new[] { cacesOpen, soinOpen, numOpen, batiOpen, numRunning }.ToDictionary(s => s.Id, s =>
        {
            var kind = s.EntryMode == EntryMode.Permanent ? InfoSessionKind.Individual : InfoSessionKind.Collective;
            var info = new InfoSession(s.Id, kind, Portal.Domain.Common.FrenchTime.StartOfDay(today.AddDays(s == numRunning ? -32 : -12)).AddHours(9), "Dans les locaux de l'organisme de formation", "Pièce d'identité, CV");
            db.InfoSessions.Add(info);
            return info;
        });

        var communes33 = new[] { "33063", "33281", "33318", "33243", "33522", "33529" };
        var communes64 = new[] { "64445", "64335", "64102", "64430", "64024", "64422" };
        var firstNames = new[] { "Yanis", "Manon", "Enzo", "Chloé", "Mehdi", "Lina", "Théo", "Sarah", "Noah", "Jade", "Kylian", "Emma", "Rayan", "Louise", "Adam", "Zoé" };
        var lastNames = new[] { "Lopez", "Fontaine", "Diallo", "Marchand", "Roussel", "Nguyen", "Perrin", "Barbier", "Mercier", "Leroy", "Ferreira", "Blanc", "Traoré", "Gauthier", "Colin", "Vidal" };

        var form = new PrescriptionForm
        {
            PriorPath = "CAP obtenu, deux ans d'intérim dans le secteur visé.",
            ProjectValidation = "Projet validé par une immersion (PMSMP) de deux semaines et un entretien de diagnostic.",
            CandidateAgreement = true,
            MaterialConditions = "Permis B et véhicule ; pas de contrainte de garde.",
            Feasibility = "Projet réaliste au regard des offres d'emploi locales.",
            RqthDeclared = false,
            Motivations = "Souhaite un emploi stable dans un métier qui recrute près de chez lui.",
            Barriers = "Mobilité : aide au permis mobilisée.",
            CriteriaReviewed = true,
        };

        var prescribers = new (AppUser User, Organisation Org, string[] Communes)[]
        {
            (camille, mlTechnowest, communes33), (sophie, mlTechnowest, communes33), (ines, capEmploi33, communes33), (hugo, ftBastide, communes33),
            (lucas, ftPau, communes64), (lea, mlPau, communes64), (nora, capEmploi64, communes64),
        };
        var openSessions = new[] { cacesOpen, soinOpen, numOpen, batiOpen };
        // Q3: the job of each candidate's project: mostly the first choice's own (its fiche's ROME), sometimes another one.
        var projectOf = new[] { "N1101", "J1501", "M1805", "F1703" };
        var otherProjects = new[] { "N1103", "G1603", "I1401", "K2204" };
        var waitlistRanks = new Dictionary<Guid, int>(); // O9: each session's waiting list, in order of decision
        var n = 0;
        foreach (var (user, org, communes) in prescribers)
        {
            for (var i = 0; i < 4; i++, n++)
            {
                var age = 18 + (n * 7 % 30);
                var c = new Candidate(org.Id, user.Id, firstNames[n % firstNames.Length], lastNames[(n * 5 + 3) % lastNames.Length],
                    today.AddYears(-age).AddDays(-(n * 37 % 300)), communes[n % communes.Length], now.AddDays(-40));
                c.SetContact($"{c.FirstName.ToLowerInvariant()}.{c.LastName.ToLowerInvariant()}@exemple.fr", "06 00 00 00 00");
                c.SetSituation(rqth: org.Kind == OrganisationKind.CapEmploi, qpv: n % 4 == 0, rural: n % 5 == 0, minimumSocialBenefits: n % 3 == 0,
                    educationLevel: n % 2 == 0 ? "Niveau 3 (CAP, BEP)" : "Niveau 4 (Bac)", franceTravailId: org.Kind == OrganisationKind.FranceTravail ? $"FT{1000000 + n}" : null);
                c.SetProject(n % 4 == 3 ? otherProjects[n / 4 % otherProjects.Length] : projectOf[(n + 1) % openSessions.Length]);
                db.AllCandidates.Add(c);

                // One to three choices (P6), in a variety of states.
                var choices = 1 + (n % 3);
                for (var rank = 1; rank <= choices; rank++)
                {
                    var session = openSessions[(n + rank) % openSessions.Length];
                    var p = new Prescription(c.Id, session.Id, session.OrganisationId, org.Id, user.Id, rank,
                        form with { RqthDeclared = c.Rqth }, now.AddDays(-30 + rank + (n % 5)));
                    var of = session.OrganisationId == ofGironde.Id ? julie.Id : thomas.Id;
                    Advance(p, pastMeetings[session.Id], (n + rank) % 9, of, user.Id, now.AddDays(-20), waitlistRanks);
                    db.AllPrescriptions.Add(p);
                }
            }
        }

        // A candidate already in training on the running session (S11: with a prescription).
        var entered = new Candidate(mlTechnowest.Id, camille.Id, "Bastien", "Moulin", today.AddYears(-23), "33063", now.AddDays(-60));
        db.AllCandidates.Add(entered);
        var enteredPrescription = new Prescription(entered.Id, numRunning.Id, numRunning.OrganisationId, mlTechnowest.Id, camille.Id, 1, form, now.AddDays(-55));
        Advance(enteredPrescription, pastMeetings[numRunning.Id], 8, julie.Id, camille.Id, now.AddDays(-40), waitlistRanks);
        enteredPrescription.Enter(julie.Id, now.AddDays(-10));
        db.AllPrescriptions.Add(enteredPrescription);

        // S10: a refusal in Gironde that the prescriber disagrees with (the arbitration demo: Camille contests, the MFE du Médoc decides).
        var contested = new Candidate(mlTechnowest.Id, camille.Id, "Nadia", "Chevalier", today.AddYears(-29).AddDays(-45), "33281", now.AddDays(-35));
        contested.SetContact("nadia.chevalier@exemple.fr", "06 00 00 00 00");
        db.AllCandidates.Add(contested);
        var refused = new Prescription(contested.Id, cacesOpen.Id, cacesOpen.OrganisationId, mlTechnowest.Id, camille.Id, 1, form, now.AddDays(-25));
        refused.Convoke(pastMeetings[cacesOpen.Id], julie.Id, now.AddDays(-20));
        refused.RecordAttendance(PrescriptionStatus.Attended, julie.Id, now.AddDays(-12));
        refused.NotSelect([Listed(NonSelectionReason.Prerequisite("Projet professionnel dans la logistique validé")), Listed(new(NonSelectionReasonKind.Unavailable))],
            "Votre projet dans la logistique doit encore être confirmé, et la session commence avant la fin de votre contrat actuel. Une immersion en entrepôt vous aiderait à confirmer ce projet.",
            "Projet logistique non encore validé (pas d'immersion) ; candidate indisponible avant la fin de son CDD. Nous proposons une PMSMP avant la prochaine session.",
            julie.Id, now.AddDays(-10));
        db.AllPrescriptions.Add(refused);

        // S11: more of the running session's trainees, so that the EOS coherence check has something to find:
        // one entered (France Travail identifier), one entered that EOS does not know yet, one selected whose
        // entry the OF has not recorded.
        Candidate RunningTrainee(Organisation org, AppUser prescriber, string first, string last, DateOnly birth, string? ftId, int enteredDaysAgo)
        {
            var c = new Candidate(org.Id, prescriber.Id, first, last, birth, "33063", now.AddDays(-60));
            c.SetSituation(rqth: false, qpv: false, rural: false, minimumSocialBenefits: false, educationLevel: "Niveau 4 (Bac)", franceTravailId: ftId);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, numRunning.Id, numRunning.OrganisationId, org.Id, prescriber.Id, 1, form, now.AddDays(-55));
            Advance(p, pastMeetings[numRunning.Id], 8, julie.Id, prescriber.Id, now.AddDays(-40), waitlistRanks);
            if (enteredDaysAgo > 0) p.Enter(julie.Id, now.AddDays(-enteredDaysAgo));
            db.AllPrescriptions.Add(p);
            return c;
        }
        RunningTrainee(ftBastide, hugo, "Anaïs", "Béranger", new DateOnly(1995, 3, 14), "FT2000101", 8);
        RunningTrainee(ftBastide, hugo, "Jérôme", "Castaing", new DateOnly(1988, 9, 2), "FT2000102", 6);
        RunningTrainee(mlTechnowest, camille, "Maëlle", "Etcheverry", new DateOnly(2004, 6, 21), null, 0);

        await db.SaveChangesAsync(cancellationToken);

        // O8 (ADR 0015): the demo's open places are what its decisions leave: capacity − places held.
        var holding = PrescriptionLifecycle.HoldingPlace;
        var held = await db.AllPrescriptions.Where(p => holding.Contains(p.Status)).GroupBy(p => p.SessionId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        foreach (var session in await db.Sessions.ToListAsync(cancellationToken)) session.RecountOpenPlaces(held.GetValueOrDefault(session.Id));
        await db.SaveChangesAsync(cancellationToken);

        // S6: the demo history is the past: the prescribers' e-mails start after it.
        var lastTransition = await db.AllPrescriptionTransitions.MaxAsync(t => t.Id, cancellationToken);
        db.OutboxWatermarks.Add(new OutboxWatermark(OutboxWatermark.PrescriberMails, lastTransition, now));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static string TextSearchSlug(string name) => Portal.Domain.Common.TextSearch.Normalize(name).Replace(' ', '-');

    /// <summary>Moves a prescription along its lifecycle through the domain's own methods.</summary>
    private static void Advance(Prescription p, InfoSession meeting, int step, Guid of, Guid prescriber, DateTimeOffset at, Dictionary<Guid, int> waitlistRanks)
    {
        switch (step)
        {
            case 0 or 1 or 2:
                return; // Prescrite
            case 3:
                p.Convoke(meeting, of, at);
                return;
            case 4:
                p.Convoke(meeting, of, at);
                p.RecordAttendance(PrescriptionStatus.Attended, of, at.AddDays(8));
                return;
            case 5:
                p.Convoke(meeting, of, at);
                p.RecordAttendance(PrescriptionStatus.Attended, of, at.AddDays(8));
                p.Waitlist(of, at.AddDays(10), waitlistRanks[p.SessionId] = waitlistRanks.GetValueOrDefault(p.SessionId) + 1);
                return;
            case 6:
                p.Convoke(meeting, of, at);
                p.RecordAttendance(PrescriptionStatus.Attended, of, at.AddDays(8));
                p.NotSelect([Listed(NonSelectionReason.Prerequisite("Maîtrise des savoirs de base (lecture, calcul)"))], "Les calculs de l'épreuve de positionnement n'étaient pas acquis. Une remise à niveau (savoirs de base) vous permettra de vous représenter à la prochaine session.",
                    "Positionnement : calcul et lecture de plans non acquis. Nous conseillons une remise à niveau avant une nouvelle prescription.", of, at.AddDays(10));
                return;
            case 7:
                p.Cancel(prescriber, at, "Le candidat a retrouvé un emploi.");
                return;
            default:
                p.Convoke(meeting, of, at);
                p.RecordAttendance(PrescriptionStatus.Attended, of, at.AddDays(8));
                p.Select(of, at.AddDays(10));
                return;
        }
    }

    /// <summary>ADR 0026: a reason with the code and label of its kind's reason in the list as installed.</summary>
    private static NonSelectionReason Listed(NonSelectionReason reason) =>
        reason with { Code = NonSelectionReasonEntry.SeedCode(reason.Kind), Label = Portal.Domain.Common.Labels.Label(reason.Kind) };
}
