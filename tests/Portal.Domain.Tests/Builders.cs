using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Domain.Tests;

/// <summary>
/// Valid domain objects for the tests. Instants are taken at noon UTC (13:00 or 14:00 in Paris), so
/// that the Paris calendar day and the UTC day agree unless a test deliberately says otherwise.
/// </summary>
internal static class Builders
{
    public static readonly Guid TrainingBodyId = Guid.Parse("0197a000-0000-7000-8000-000000000001");
    public static readonly Guid PrescriberOrganisationId = Guid.Parse("0197a000-0000-7000-8000-000000000002");
    public static readonly Guid PrescriberUserId = Guid.Parse("0197a000-0000-7000-8000-000000000003");
    public static readonly Guid OfUserId = Guid.Parse("0197a000-0000-7000-8000-000000000004");
    public static readonly Guid TerritoryId = Guid.Parse("0197a000-0000-7000-8000-000000000005");

    /// <summary>A winter day (Paris = UTC+1), well before any session of the tests.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Summer dates (Paris = UTC+2). Publication date (start − 120 days) is 04/05/2026.</summary>
    public static readonly DateOnly SessionStart = new(2026, 9, 1);
    public static readonly DateOnly SessionEnd = new(2026, 12, 18);
    public static readonly DateOnly RegistrationDeadline = new(2026, 8, 14);
    public const int Capacity = 12;

    public static DateTimeOffset NoonUtc(DateOnly day) => new(day, new TimeOnly(12, 0), TimeSpan.Zero);

    public static FakeTimeProvider ClockAt(DateTimeOffset instant) => new(instant);

    public static FakeTimeProvider ClockAtNoon(DateOnly day) => new(NoonUtc(day));

    // ---- Offer ----

    public static FicheAction DraftFiche(EntryMode mode = EntryMode.Grouped) =>
        new(TrainingBodyId, "Titre professionnel Agent de restauration", mode, T0);

    public static void DescribeCompletely(FicheAction fiche) => fiche.Describe(
        objectives: "Obtenir le titre professionnel",
        content: "Techniques de production, hygiène, service",
        prerequisites: "Savoir lire, écrire et compter",
        admissionConditions: "Demandeur d'emploi inscrit",
        selectionModalities: "Information collective puis entretien individuel",
        selectionCriteria: ["Motivation pour le métier", "Aptitude physique"],
        romeCodes: ["G1602", "G1603"],
        hoursInCentre: 420,
        hoursInCompany: 140,
        certificationRncp: "RNCP34325");

    public static FicheAction DescribedFiche(EntryMode mode = EntryMode.Grouped)
    {
        var fiche = DraftFiche(mode);
        DescribeCompletely(fiche);
        return fiche;
    }

    public static FicheAction SubmittedFiche(EntryMode mode = EntryMode.Grouped)
    {
        var fiche = DescribedFiche(mode);
        fiche.Submit(T0.AddDays(1));
        return fiche;
    }

    public static FicheAction ValidatedFiche(EntryMode mode = EntryMode.Grouped)
    {
        var fiche = SubmittedFiche(mode);
        fiche.Validate(T0.AddDays(2));
        return fiche;
    }

    public static TrainingSession Session(EntryMode mode = EntryMode.Grouped, int capacity = Capacity,
        DateOnly? lateEntryDate = null) =>
        new(ValidatedFiche(mode), SessionStart, SessionEnd, RegistrationDeadline, capacity, "33063", lateEntryDate);

    /// <summary>A session published on its publication day (O4).</summary>
    public static TrainingSession OpenSession(int capacity = Capacity)
    {
        var session = Session(capacity: capacity);
        session.Publish(NoonUtc(session.PublicationDate));
        return session;
    }

    /// <summary>S3: a meeting of the prescription's session exactly 7 days after <paramref name="convokedAt"/> (the latest legal convocation).</summary>
    public static InfoSession MeetingFor(Prescription p, DateTimeOffset convokedAt) =>
        new(p.SessionId, InfoSessionKind.Collective, convokedAt.AddDays(InfoSession.ConvocationNoticeDays), "12 rue des Arts, Bordeaux", "Pièce d'identité");

    /// <summary>S3: the history reason of a convocation made at <paramref name="convokedAt"/> to <see cref="MeetingFor"/>'s meeting.</summary>
    public static string ConvocationReason(DateTimeOffset convokedAt) =>
        $"Convocation : information collective du {FrenchTime.ToFrance(convokedAt.AddDays(InfoSession.ConvocationNoticeDays)):dd/MM/yyyy à HH:mm}, 12 rue des Arts, Bordeaux";

    public static InfoSession InfoSessionAt(DateTimeOffset startsAt) =>
        new(Guid.CreateVersion7(), InfoSessionKind.Collective, startsAt, "12 rue des Arts, Bordeaux", "Pièce d'identité");

    // ---- Prescriptions ----

    public static PrescriptionForm ValidForm() => new()
    {
        PriorPath = "CAP cuisine, 3 ans en restauration collective",
        ProjectValidation = "Enquête métier et immersion PMSMP de deux semaines",
        CandidateAgreement = true,
        MaterialConditions = "Permis B et véhicule",
        Feasibility = "Projet réaliste, emploi local porteur",
        RqthDeclared = false,
        Motivations = "Reprendre un métier de contact",
        Barriers = "Garde d'enfant organisée",
        CriteriaReviewed = true,
    };

    public static Prescription NewPrescription(DateTimeOffset? now = null, int rank = 1, PrescriptionForm? form = null) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), TrainingBodyId, PrescriberOrganisationId, PrescriberUserId,
            rank, form ?? ValidForm(), now ?? T0);

    /// <summary>A prescription brought to <paramref name="status"/> through legal transitions only.</summary>
    public static Prescription PrescriptionIn(PrescriptionStatus status, DateTimeOffset? now = null)
    {
        var at = now ?? T0;
        var p = NewPrescription(at);
        switch (status)
        {
            case PrescriptionStatus.Submitted:
                break;
            case PrescriptionStatus.Convoked:
                p.Convoke(MeetingFor(p, at), OfUserId, at);
                break;
            case PrescriptionStatus.Attended or PrescriptionStatus.AbsentUnjustified:
                p.Convoke(MeetingFor(p, at), OfUserId, at);
                p.RecordAttendance(status, OfUserId, at);
                break;
            case PrescriptionStatus.AbsentJustified:
                p.Convoke(MeetingFor(p, at), OfUserId, at);
                p.RecordAttendance(status, OfUserId, at, "Rendez-vous médical, signalé au prescripteur");
                break;
            case PrescriptionStatus.Selected:
                p = PrescriptionIn(PrescriptionStatus.Attended, at);
                p.Select(OfUserId, at);
                break;
            case PrescriptionStatus.Waitlisted:
                p = PrescriptionIn(PrescriptionStatus.Attended, at);
                p.Waitlist(OfUserId, at);
                break;
            case PrescriptionStatus.NotSelected:
                p = PrescriptionIn(PrescriptionStatus.Attended, at);
                p.NotSelect([NonSelectionReason.Prerequisite("Prérequis en calcul")], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, at);
                break;
            case PrescriptionStatus.Entered:
                p = PrescriptionIn(PrescriptionStatus.Selected, at);
                p.Enter(OfUserId, at);
                break;
            case PrescriptionStatus.Cancelled:
                p.Cancel(PrescriberUserId, at, "Erreur de session");
                break;
            case PrescriptionStatus.Withdrawn:
                p.Withdraw(PrescriberUserId, at);
                break;
            case PrescriptionStatus.Expired:
                p.Expire(at, "O5");
                break;
            case PrescriptionStatus.SessionCancelled:
                p.MarkSessionCancelled(OfUserId, at);
                break;
            case PrescriptionStatus.PlaceOffered:
                p = PrescriptionIn(PrescriptionStatus.Waitlisted, at);
                p.OfferPlace(OfUserId, at, TrainingSession.Today(at).AddDays(7));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        p.Status.ShouldBe(status);
        return p;
    }

    /// <summary>The domain call that aims at <paramref name="to"/> (there is none for Submitted).</summary>
    public static void Attempt(Prescription p, PrescriptionStatus to, Guid by, DateTimeOffset now)
    {
        switch (to)
        {
            case PrescriptionStatus.Convoked: p.Convoke(MeetingFor(p, now), by, now); break;
            case PrescriptionStatus.Attended: p.RecordAttendance(to, by, now); break;
            case PrescriptionStatus.AbsentJustified: p.RecordAttendance(to, by, now, "Entretien d'embauche, prévenu"); break;
            case PrescriptionStatus.AbsentUnjustified: p.RecordAttendance(to, by, now); break;
            case PrescriptionStatus.Selected: p.Select(by, now); break;
            case PrescriptionStatus.Waitlisted: p.Waitlist(by, now); break;
            case PrescriptionStatus.NotSelected: p.NotSelect([NonSelectionReason.OtherReason("Niveau de français insuffisant")], "Explication pour le candidat.", "Explication pour le prescripteur.", by, now); break;
            case PrescriptionStatus.Entered: p.Enter(by, now); break;
            case PrescriptionStatus.Cancelled: p.Cancel(by, now, "Doublon"); break;
            case PrescriptionStatus.Withdrawn: p.Withdraw(by, now); break;
            case PrescriptionStatus.Expired: p.Expire(now, "O6"); break;
            case PrescriptionStatus.SessionCancelled: p.MarkSessionCancelled(by, now); break;
            case PrescriptionStatus.PlaceOffered: p.OfferPlace(by, now, TrainingSession.Today(now).AddDays(7)); break;
            default: throw new ArgumentOutOfRangeException(nameof(to), to, null);
        }
    }

    // ---- People and organisations ----

    public static Candidate CandidateBornOn(DateOnly birthDate, DateTimeOffset? now = null) =>
        new(PrescriberOrganisationId, PrescriberUserId, "Léa", "Martin", birthDate, "33063", now ?? T0);

    public static Organisation Organisation(OrganisationKind kind) =>
        new($"Structure {kind}", kind, TerritoryId);

    public static AppUser User() => new("Camille.Durand@mission-locale.fr", "Camille", "Durand");
}
