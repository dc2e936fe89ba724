using Portal.Domain.Common;
using Portal.Domain.Offer;

namespace Portal.Domain.Prescriptions;

/// <summary>
/// A candidate's registration on a session by a prescriber (P1–P7). Every transition goes through
/// <see cref="MoveTo"/>, which refuses illegal ones and appends to the history (who, when, from, to, why).
/// </summary>
public sealed class Prescription : Entity
{
    /// <summary>P6: at most three active choices per candidate.</summary>
    public const int MaxActiveChoices = 3;

    private readonly List<PrescriptionTransition> _history = [];
    private readonly List<PrescriptionAttachment> _attachments = [];

    private Prescription() { }

    public Prescription(Guid candidateId, Guid sessionId, Guid trainingBodyId, Guid prescriberOrganisationId,
        Guid prescriberUserId, int rank, PrescriptionForm form, DateTimeOffset now)
    {
        if (rank is < 1 or > MaxActiveChoices) throw new DomainException("Le rang du choix doit être 1, 2 ou 3.", "P6");
        form.EnsureLengths();
        var missing = form.MissingMandatoryFields();
        if (missing.Count > 0) throw new DomainException($"Champs obligatoires manquants : {string.Join(", ", missing)}.", "P7");
        CandidateId = candidateId;
        SessionId = sessionId;
        TrainingBodyId = trainingBodyId;
        PrescriberOrganisationId = prescriberOrganisationId;
        PrescriberUserId = prescriberUserId;
        Rank = rank;
        Form = form;
        Status = PrescriptionStatus.Submitted;
        CreatedAt = now;
        StatusChangedAt = now;
        _history.Add(new PrescriptionTransition(Id, prescriberUserId, now, null, PrescriptionStatus.Submitted, "Prescription créée"));
    }

    public Guid CandidateId { get; private set; }
    public Guid SessionId { get; private set; }

    /// <summary>The OF of the session (denormalised for scoping: an OF sees only its sessions' prescriptions).</summary>
    public Guid TrainingBodyId { get; private set; }

    public Guid PrescriberOrganisationId { get; private set; }
    public Guid PrescriberUserId { get; private set; }

    /// <summary>P6: the candidate's rank for this choice (1 to 3).</summary>
    public int Rank { get; private set; }

    public PrescriptionForm Form { get; private set; } = null!;
    public PrescriptionStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset StatusChangedAt { get; private set; }
    public DateTimeOffset? ConvokedAt { get; private set; }
    public string? DecisionReasons { get; private set; }
    public IReadOnlyList<PrescriptionTransition> History => _history;

    /// <summary>P4: documents the prescriber sends the OF (stored outside the database).</summary>
    public IReadOnlyList<PrescriptionAttachment> Attachments => _attachments;

    public PrescriptionAttachment Attach(string fileName, string contentType, long size, string storageKey, Guid by, DateTimeOffset now)
    {
        if (_attachments.Count(a => a.ComplementMessageId is null) >= PrescriptionAttachment.MaxPerPrescription)
            throw new DomainException($"Au plus {PrescriptionAttachment.MaxPerPrescription} documents par prescription.", "P4");
        var attachment = new PrescriptionAttachment(Id, fileName, contentType, size, storageKey, by, now);
        _attachments.Add(attachment);
        return attachment;
    }

    public bool IsActive => Status.IsActive();

    /// <summary>S2, S3: the info session (or individual interview) the candidate is convoked to; null before any convocation.</summary>
    public Guid? ConvokedInfoSessionId { get; private set; }

    /// <summary>S6, S5: the justification of an absence, given with the prescriber (null otherwise).</summary>
    public string? AbsenceJustification { get; private set; }

    /// <summary>S3: the convocation was sent less than 7 Paris calendar days before the meeting (the OF confirmed it).</summary>
    public bool ConvokedLate { get; private set; }

    /// <summary>History reason suffix of a late convocation (S3).</summary>
    public const string LateConvocationNote = " (convocation tardive : moins de 7 jours avant la réunion)";

    /// <summary>
    /// S2, S3: convokes the candidate to one of the session's info sessions. At least 7 Paris calendar days before
    /// it; later only when the OF confirms (<paramref name="lateConfirmed"/>), and then marked late. A candidate
    /// whose absence was justified may be convoked again (to another meeting).
    /// </summary>
    public void Convoke(InfoSession infoSession, Guid by, DateTimeOffset now, bool lateConfirmed = false)
    {
        ArgumentNullException.ThrowIfNull(infoSession);
        if (infoSession.SessionId != SessionId)
            throw new DomainException("Cette information collective ne concerne pas la session de la prescription.", "S2");
        infoSession.EnsureCanConvoke(now, lateConfirmed);
        var late = infoSession.IsConvocationLate(now);
        MoveTo(PrescriptionStatus.Convoked, by, now,
            $"Convocation : {infoSession.Kind.Label().ToLowerInvariant()} du {FrenchTime.ToFrance(infoSession.StartsAt):dd/MM/yyyy à HH:mm}, {infoSession.Place}"
            + (late ? LateConvocationNote : ""));
        ConvokedAt = now;
        ConvokedInfoSessionId = infoSession.Id;
        ConvokedLate = late;
        AbsenceJustification = null;
    }

    public void RecordAttendance(PrescriptionStatus attendance, Guid by, DateTimeOffset now, string? justification = null)
    {
        if (attendance is not (PrescriptionStatus.Attended or PrescriptionStatus.AbsentJustified or PrescriptionStatus.AbsentUnjustified))
            throw new DomainException("La présence doit être : présent, absent justifié ou absent non justifié.", "S6");
        if (attendance == PrescriptionStatus.AbsentJustified && string.IsNullOrWhiteSpace(justification))
            throw new DomainException("Une absence justifiée exige la justification donnée avec le prescripteur.", "S5");
        var text = attendance == PrescriptionStatus.AbsentJustified ? justification!.Trim() : null;
        MoveTo(attendance, by, now, text);
        AbsenceJustification = text;
    }

    /// <summary>
    /// S6, S5: the prescriber justifies an absence the OF recorded as unjustified, until the OF decides (after a
    /// decision, the way left is the arbitration, S10).
    /// </summary>
    public void JustifyAbsence(string justification, Guid by, DateTimeOffset now)
    {
        if (Status is PrescriptionStatus.Selected or PrescriptionStatus.Waitlisted or PrescriptionStatus.NotSelected or PrescriptionStatus.Entered)
            throw new DomainException(
                "L'organisme de formation a déjà décidé pour ce candidat : l'absence ne peut plus être justifiée ici. Si le refus tient à cette absence, demandez un arbitrage.",
                "S5");
        if (Status != PrescriptionStatus.AbsentUnjustified)
            throw new DomainException("Seule une absence non justifiée peut être justifiée.", "S6");
        RecordAttendance(PrescriptionStatus.AbsentJustified, by, now, justification);
    }

    /// <summary>S7: the longest explanation (for the candidate or the prescriber) a non-selection carries.</summary>
    public const int MaxExplanationLength = 2000;

    /// <summary>Issue #15 (5): the reasons' texts joined, one line per reason kind, each precision bounded (S7).</summary>
    public const int MaxDecisionReasonsLength = 8000;

    /// <summary>S1: the OF selects the candidate.</summary>
    public void Select(Guid by, DateTimeOffset now)
    {
        MoveTo(PrescriptionStatus.Selected, by, now, null);
        WaitlistRank = null;
    }

    /// <summary>
    /// S1, O9: the OF puts the candidate on the waiting list. Without a <paramref name="rank"/>, the candidate waits in the
    /// charter's order (date of prescription) after the ones the OF ranked (ADR 0015).
    /// </summary>
    public void Waitlist(Guid by, DateTimeOffset now, int? rank = null)
    {
        if (rank < 1) throw new DomainException("Le rang sur la liste d'attente commence à 1.", "O9");
        MoveTo(PrescriptionStatus.Waitlisted, by, now, null);
        WaitlistRank = rank;
    }

    /// <summary>O9: the OF reorders its waiting list.</summary>
    public void SetWaitlistRank(int rank)
    {
        if (Status != PrescriptionStatus.Waitlisted) throw new DomainException("Seul un candidat en liste d'attente a un rang d'attente.", "O9");
        if (rank < 1) throw new DomainException("Le rang sur la liste d'attente commence à 1.", "O9");
        WaitlistRank = rank;
        Version++;
    }

    /// <summary>O9, S1: the history reason of a place offered by the OF to the first of the waiting list.</summary>
    public const string OfferReason = "Place libérée proposée au premier de la liste d'attente (O9)";

    /// <summary>
    /// O9, S1: a place freed on the session is offered to this waitlisted candidate, who answers by
    /// <paramref name="deadline"/> (a day in France, inclusive). <paramref name="by"/> is the OF user who confirmed it,
    /// or null when the offer passes on by itself to the next of the list after a refusal or a lapse.
    /// </summary>
    public void OfferPlace(Guid? by, DateTimeOffset now, DateOnly deadline, string? reason = null)
    {
        // The lifecycle allows the offer from the waiting list only (MoveTo refuses the rest).
        if (deadline < TrainingSession.Today(now))
            throw new DomainException("La date limite de réponse ne peut pas être passée.", "O9");
        MoveTo(PrescriptionStatus.PlaceOffered, by, now, $"{reason ?? OfferReason} : réponse attendue au plus tard le {deadline:dd/MM/yyyy}");
        OfferDeadline = deadline;
    }

    /// <summary>O9: the last day (in France, inclusive) for the candidate to answer the offered place; null when no place is offered.</summary>
    public DateOnly? OfferDeadline { get; private set; }

    /// <summary>O9: the response period the OF gave, in days from the day of the offer (passed on to the next offer).</summary>
    public int OfferResponseDays => OfferDeadline is { } d ? Math.Max(0, d.DayNumber - TrainingSession.Today(StatusChangedAt).DayNumber) : 0;

    /// <summary>O9, S6: the prescriber records that the candidate accepts the offered place: they are selected.</summary>
    public void AcceptOffer(Guid by, DateTimeOffset now)
    {
        if (Status != PrescriptionStatus.PlaceOffered) throw new DomainException("Aucune place n'est proposée à ce candidat.", "O9");
        MoveTo(PrescriptionStatus.Selected, by, now, "Place proposée acceptée par le candidat (O9)");
        OfferDeadline = null;
    }

    /// <summary>O9, S6: the prescriber records that the candidate declines the offered place: a withdrawal from the session (ADR 0015).</summary>
    public void DeclineOffer(Guid by, DateTimeOffset now)
    {
        if (Status != PrescriptionStatus.PlaceOffered) throw new DomainException("Aucune place n'est proposée à ce candidat.", "O9");
        MoveTo(PrescriptionStatus.Withdrawn, by, now, "Place proposée refusée par le candidat (O9)");
        OfferDeadline = null;
    }

    /// <summary>O9: no answer by the deadline: the offer lapses and the prescription expires (ADR 0015).</summary>
    public void LapseOffer(DateTimeOffset now)
    {
        if (Status != PrescriptionStatus.PlaceOffered) throw new DomainException("Aucune place n'est proposée à ce candidat.", "O9");
        MoveTo(PrescriptionStatus.Expired, null, now, $"Place proposée sans réponse au {OfferDeadline:dd/MM/yyyy} (O9)");
        OfferDeadline = null;
    }

    /// <summary>
    /// S1, S7: a non-selection carries explicit reasons from the reference list, and two free explanations:
    /// one written for the candidate, one for the prescriber. S5: when the candidate's absence was ever
    /// justified with the prescriber, the absence cannot be the only reason.
    /// </summary>
    public void NotSelect(IReadOnlyCollection<NonSelectionReason> reasons, string candidateExplanation, string prescriberExplanation, Guid by, DateTimeOffset now)
    {
        var checkedReasons = CheckedNonSelectionReasons(reasons);
        var forCandidate = Explanation(candidateExplanation, "Écrivez l'explication destinée au candidat : elle l'aide à retravailler son projet.");
        var forPrescriber = Explanation(prescriberExplanation, "Écrivez l'explication destinée au prescripteur.");
        var text = string.Join(" ; ", checkedReasons.Select(r => r.Text));
        MoveTo(PrescriptionStatus.NotSelected, by, now, text);
        NonSelectionReasons = checkedReasons;
        DecisionReasons = text;
        CandidateExplanation = forCandidate;
        PrescriberExplanation = forPrescriber;
        WaitlistRank = null;
    }

    private static string Explanation(string? text, string missing)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) throw new DomainException(missing, "S7");
        if (trimmed.Length > MaxExplanationLength)
            throw new DomainException($"Une explication tient en {MaxExplanationLength} caractères au plus.", "S7");
        return trimmed;
    }

    /// <summary>History reason of a decision applied by an arbitration (S10).</summary>
    public const string ArbitrationReason = "Décision de l'arbitrage (S10)";

    /// <summary>
    /// S10: the arbitrator overturned the decision: the new one (selected, waitlisted, or not selected with
    /// explicit reasons, S7/S5) replaces it, including the moves only an arbitration may make
    /// (see <see cref="PrescriptionLifecycle.CanArbitrate"/>).
    /// </summary>
    public void ApplyArbitration(PrescriptionStatus decision, IReadOnlyCollection<NonSelectionReason>? reasons, Guid by, DateTimeOffset now, int? waitlistRank = null)
    {
        if (!PrescriptionLifecycle.CanArbitrate(Status, decision))
            throw new DomainException($"L'arbitrage ne peut pas faire passer une prescription « {Status.Label()} » à « {decision.Label()} ».", "S10");
        if (decision != PrescriptionStatus.NotSelected)
        {
            Record(decision, by, now, ArbitrationReason);
            NonSelectionReasons = [];
            DecisionReasons = null;
            CandidateExplanation = null;
            PrescriberExplanation = null;
            // O9: a candidate put back on the waiting list by the arbitration waits in the list's one order (ADR 0015).
            if (decision == PrescriptionStatus.Waitlisted) WaitlistRank = waitlistRank;
            return;
        }
        var checkedReasons = CheckedNonSelectionReasons(reasons ?? []);
        var text = string.Join(" ; ", checkedReasons.Select(r => r.Text));
        Record(decision, by, now, $"{ArbitrationReason} : {text}");
        NonSelectionReasons = checkedReasons;
        DecisionReasons = text;
        // S7: the candidate and the prescriber read why, in the arbitrator's own reasons.
        CandidateExplanation = PrescriberExplanation = $"Décision prise en arbitrage par la Maison France Emploi (ou la Région) : {text}.";
    }

    /// <summary>S7: the structured reasons of a non-selection (empty otherwise).</summary>
    public List<NonSelectionReason> NonSelectionReasons { get; private set; } = [];

    /// <summary>S7: the non-selection explained in plain words to the candidate (shown on their personal page).</summary>
    public string? CandidateExplanation { get; private set; }

    /// <summary>S7: the non-selection explained to the prescriber.</summary>
    public string? PrescriberExplanation { get; private set; }

    /// <summary>O9: the place on the session's waiting list (1 = first offered a freed place); null when not waitlisted.</summary>
    public int? WaitlistRank { get; private set; }

    /// <summary>Optimistic concurrency: two users deciding the same prescription at once cannot both win.</summary>
    public int Version { get; private set; }

    /// <summary>S11: entry requires this prescription to have been selected.</summary>
    public void Enter(Guid by, DateTimeOffset now) => MoveTo(PrescriptionStatus.Entered, by, now, "Entrée en formation");

    public void Cancel(Guid by, DateTimeOffset now, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("L'annulation exige un motif.");
        TextLimit.Ensure(reason, MaxMotiveLength, "Le motif");
        MoveTo(PrescriptionStatus.Cancelled, by, now, reason);
    }

    public void Withdraw(Guid by, DateTimeOffset now, string? reason = null)
    {
        TextLimit.Ensure(reason, MaxMotiveLength, "Le motif");
        MoveTo(PrescriptionStatus.Withdrawn, by, now, reason ?? "Désistement du candidat");
    }

    /// <summary>Issue #15 (5): the longest motive of a cancellation or a withdrawal.</summary>
    public const int MaxMotiveLength = 2000;

    /// <summary>P6: the candidate entered another training; this choice became useless.</summary>
    public void CancelBecauseEnteredElsewhere(DateTimeOffset now, string otherTraining) =>
        MoveTo(PrescriptionStatus.Cancelled, null, now, $"Annulation automatique : entrée en formation « {otherTraining} » (règle P6)");

    /// <summary>O5/O6: the pre-registration has expired.</summary>
    public void Expire(DateTimeOffset now, string rule) => MoveTo(PrescriptionStatus.Expired, null, now, $"Préinscription expirée ({rule})");

    public void MarkSessionCancelled(Guid? by, DateTimeOffset now) => MoveTo(PrescriptionStatus.SessionCancelled, by, now, "Session annulée par l'organisme de formation");

    private List<NonSelectionReason> CheckedNonSelectionReasons(IReadOnlyCollection<NonSelectionReason> reasons)
    {
        if (reasons.Count == 0)
            throw new DomainException("Une non-sélection doit être motivée : indiquez au moins un motif explicite.", "S7");
        var checkedReasons = reasons.Select(r => r.Checked()).Distinct().ToList();
        var absenceWasJustified = Status == PrescriptionStatus.AbsentJustified || _history.Any(t => t.To == PrescriptionStatus.AbsentJustified);
        if (absenceWasJustified && checkedReasons.All(r => r.Kind == NonSelectionReasonKind.AbsentFromInfoSession))
            throw new DomainException("Une absence justifiée auprès du prescripteur ne peut pas être à elle seule un motif de refus.", "S5");
        return checkedReasons;
    }

    private void MoveTo(PrescriptionStatus to, Guid? by, DateTimeOffset now, string? why)
    {
        if (!PrescriptionLifecycle.CanMove(Status, to))
            throw new DomainException($"Transition impossible : une prescription « {Status.Label()} » ne peut pas passer à « {to.Label()} ».");
        Record(to, by, now, why);
    }

    private void Record(PrescriptionStatus to, Guid? by, DateTimeOffset now, string? why)
    {
        _history.Add(new PrescriptionTransition(Id, by, now, Status, to, why));
        Status = to;
        StatusChangedAt = now;
        if (to != PrescriptionStatus.Waitlisted) WaitlistRank = null;
        if (to != PrescriptionStatus.PlaceOffered) OfferDeadline = null;
        Version++;
    }
}

/// <summary>Append-only history of a prescription's transitions (S6, Q1).</summary>
public sealed class PrescriptionTransition
{
    private PrescriptionTransition() { }

    internal PrescriptionTransition(Guid prescriptionId, Guid? byUserId, DateTimeOffset at, PrescriptionStatus? from, PrescriptionStatus to, string? reason)
    {
        PrescriptionId = prescriptionId;
        ByUserId = byUserId;
        At = at;
        From = from;
        To = to;
        Reason = reason;
    }

    /// <summary>A transition made in bulk by a job (set-based update of the statuses, history appended alongside).</summary>
    public static PrescriptionTransition Recorded(Guid prescriptionId, Guid? byUserId, DateTimeOffset at, PrescriptionStatus from, PrescriptionStatus to, string reason) =>
        PrescriptionLifecycle.CanMove(from, to)
            ? new PrescriptionTransition(prescriptionId, byUserId, at, from, to, reason)
            : throw new DomainException($"Transition impossible : « {from.Label()} » vers « {to.Label()} ».");

    /// <summary>Issue #15 (5): a transition's reason holds at most the joined non-selection reasons.</summary>
    public const int MaxReasonLength = Prescription.MaxDecisionReasonsLength;

    public long Id { get; private set; }
    public Guid PrescriptionId { get; private set; }

    /// <summary>Null when a job made the transition.</summary>
    public Guid? ByUserId { get; private set; }

    public DateTimeOffset At { get; private set; }
    public PrescriptionStatus? From { get; private set; }
    public PrescriptionStatus To { get; private set; }
    public string? Reason { get; private set; }
}
