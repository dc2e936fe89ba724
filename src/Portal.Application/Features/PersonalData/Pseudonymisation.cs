using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;

namespace Portal.Application.Features.PersonalData;

/// <summary>Issue #14 (4): the retention settings (<c>PersonalData</c> section, see appsettings.sample.json).</summary>
/// <param name="RetentionMonths">Months without activity after which a candidate is pseudonymised (ADR 0025).</param>
/// <param name="ChunkSize">Candidates pseudonymised per transaction by the retention job.</param>
public sealed record PersonalDataSettings(int RetentionMonths = PersonalDataSettings.DefaultRetentionMonths, int ChunkSize = PersonalDataSettings.DefaultChunkSize)
{
    public const int DefaultRetentionMonths = 24;
    public const int DefaultChunkSize = 500;
}

/// <summary>
/// Issue #14 (4), ADR 0025: pseudonymises a set of candidates with set-based statements (one per table, never entity by
/// entity), in the caller's transaction. Replaced: names ("Candidat anonymisé"), contact, France Travail id, the birth date
/// (1 January of its year is kept), every filled free text of their prescriptions (form, reasons' details, explanations,
/// absence justification, typed motives of the history), of their arbitration cases and of their complement messages
/// (by "[effacé]"; an empty text stays empty, so the observatory facts of ADR 0011 do not move); EOS anomalies' copies of
/// their identity; their attachments' rows deleted (the caller deletes the files once committed); their personal links
/// revoked. Kept, because the observatories read them: commune, situations (RQTH, QPV, rural, minima), project, education
/// level, every status, date and decision kind. Applying it twice changes nothing more.
/// </summary>
public static class Pseudonymisation
{
    /// <summary>The history motive of a withdrawal on erasure: kept (it says why, names nobody).</summary>
    public const string ErasureMotive = "Effacement des données à la demande du candidat";

    /// <summary>Pseudonymises <paramref name="candidateIds"/>; returns the storage keys of the attachment files to delete after commit.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(IAppDbContext db, IReadOnlyList<Guid> candidateIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (candidateIds.Count == 0) return [];
        var ids = candidateIds.Distinct().ToList();
        const string erased = Candidate.ErasedText;
        var prescriptions = db.AllPrescriptions.Where(p => ids.Contains(p.CandidateId)).Select(p => p.Id);

        // Attachments (P4, P8): the rows go now, the files once the transaction is committed.
        var attachments = db.AllPrescriptionAttachments.Where(a => prescriptions.Contains(a.PrescriptionId));
        var keys = await attachments.Select(a => a.StorageKey).ToListAsync(cancellationToken);
        await attachments.ExecuteDeleteAsync(cancellationToken);

        // Complement messages (P8): the bodies; the threads (and their dates, read by Q1) stay.
        var threads = db.AllComplementThreads.Where(t => prescriptions.Contains(t.PrescriptionId)).Select(t => t.Id);
        await db.AllComplementMessages.Where(m => threads.Contains(m.ThreadId) && m.Body != erased)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Body, erased), cancellationToken);

        // The prescriptions' free texts: a filled one replaced, an empty one left empty (FormComplete and Explained unchanged).
        await db.AllPrescriptions.Where(p => ids.Contains(p.CandidateId)).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.Form.PriorPath, p => p.Form.PriorPath.Trim() == "" ? p.Form.PriorPath : erased)
            .SetProperty(p => p.Form.ProjectValidation, p => p.Form.ProjectValidation.Trim() == "" ? p.Form.ProjectValidation : erased)
            .SetProperty(p => p.Form.MaterialConditions, p => p.Form.MaterialConditions.Trim() == "" ? p.Form.MaterialConditions : erased)
            .SetProperty(p => p.Form.Feasibility, p => p.Form.Feasibility.Trim() == "" ? p.Form.Feasibility : erased)
            .SetProperty(p => p.Form.Motivations, p => p.Form.Motivations.Trim() == "" ? p.Form.Motivations : erased)
            .SetProperty(p => p.Form.Barriers, p => p.Form.Barriers.Trim() == "" ? p.Form.Barriers : erased)
            .SetProperty(p => p.DecisionReasons, p => p.DecisionReasons == null || p.DecisionReasons.Trim() == "" ? p.DecisionReasons : erased)
            .SetProperty(p => p.AbsenceJustification, p => p.AbsenceJustification == null || p.AbsenceJustification.Trim() == "" ? p.AbsenceJustification : erased)
            .SetProperty(p => p.CandidateExplanation, p => p.CandidateExplanation == null || p.CandidateExplanation.Trim() == "" ? p.CandidateExplanation : erased)
            .SetProperty(p => p.PrescriberExplanation, p => p.PrescriberExplanation == null || p.PrescriberExplanation.Trim() == "" ? p.PrescriberExplanation : erased),
            cancellationToken);
        await db.Queries.EraseReasonDetailsAsync(ids, erased, cancellationToken);

        // The history: motives typed by someone (a system motive names nobody, and the erasure's own says why it happened).
        await db.AllPrescriptionTransitions
            .Where(t => prescriptions.Contains(t.PrescriptionId) && t.ByUserId != null && t.Reason != null && t.Reason != erased && t.Reason != ErasureMotive)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Reason, erased), cancellationToken);

        // Arbitration cases (S10): both parties' arguments and the ruling's text; the outcome and decision stay.
        await db.AllArbitrations.Where(a => prescriptions.Contains(a.PrescriptionId)).ExecuteUpdateAsync(u => u
            .SetProperty(a => a.PrescriberArgument, a => a.PrescriberArgument == null || a.PrescriberArgument.Trim() == "" ? a.PrescriberArgument : erased)
            .SetProperty(a => a.TrainingBodyArgument, a => a.TrainingBodyArgument == null || a.TrainingBodyArgument.Trim() == "" ? a.TrainingBodyArgument : erased)
            .SetProperty(a => a.OutcomeText, a => a.OutcomeText == null || a.OutcomeText.Trim() == "" ? a.OutcomeText : erased), cancellationToken);

        // S11: the EOS coherence lines about their prescriptions keep their kind and dates, not the identity EOS sent.
        await db.AllEosAnomalies.Where(a => a.PrescriptionId != null && prescriptions.Contains(a.PrescriptionId.Value))
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.CandidateName, Candidate.PseudonymisedName)
                .SetProperty(a => a.FranceTravailId, (string?)null).SetProperty(a => a.BirthDate, (DateOnly?)null), cancellationToken);

        // A7: their personal links stop working.
        await db.AllCandidateLinks.Where(l => ids.Contains(l.CandidateId) && l.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.RevokedAt, now), cancellationToken);

        // The candidate last: the observatory trigger keeps the birth date fact of a pseudonymised candidate (ADR 0025).
        await db.AllCandidates.Where(c => ids.Contains(c.Id) && !c.IsPseudonymised).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.FirstName, Candidate.PseudonymisedFirstName)
            .SetProperty(c => c.LastName, Candidate.PseudonymisedLastName)
            .SetProperty(c => c.Email, (string?)null)
            .SetProperty(c => c.Phone, (string?)null)
            .SetProperty(c => c.FranceTravailId, (string?)null)
            .SetProperty(c => c.BirthDate, c => c.BirthDate.AddDays(1 - c.BirthDate.DayOfYear))
            .SetProperty(c => c.IsPseudonymised, true)
            .SetProperty(c => c.PseudonymisedAt, now)
            // A prescriber prescribing for them at the same moment loses (P6's concurrency token).
            .SetProperty(c => c.ChoicesVersion, c => c.ChoicesVersion + 1), cancellationToken);
        return keys;
    }

    /// <summary>Deletes the files of removed attachments, after the commit; a file already gone is not an error.</summary>
    public static async Task DeleteFilesAsync(IFileStore files, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys) await files.DeleteAsync(key, cancellationToken);
    }
}
