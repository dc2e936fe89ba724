using System.Text.RegularExpressions;

namespace Portal.Application.Tests.Architecture;

/// <summary>
/// Issue #15 ("keep doing"), ADR 0001: the sets of <c>IAppDbContext</c> named <c>All*</c> reach past the access
/// scope. Every type of the portal's code that reads one is listed here with the reason it may; a new use fails until
/// it starts from <c>AccessScope</c> (<c>db.Candidates(user)</c>, <c>db.Prescriptions(user)</c>) or is listed with
/// its reason, and an entry no longer used fails too, so that the list stays true.
/// </summary>
public sealed partial class UnscopedSetsTests
{
    /// <summary>Type (nested name, as "GetCandidate.Handler") → the All* sets it reads → why it may.</summary>
    private static readonly Dictionary<string, (string[] Sets, string Reason)> Allowed = new()
    {
        // The scope itself and the demo seed.
        ["AccessScope"] = (["AllCandidates", "AllPrescriptions"], "the scope itself: each branch filters by the user's role and organisation"),
        ["DemoData"] = (["AllCandidates", "AllPrescriptions", "AllPrescriptionTransitions"], "seed of the demo dataset at start-up: no user, every organisation"),

        // Jobs: they run for every organisation, with no user.
        ["ExpirePreRegistrationsJob"] = (["AllPrescriptions"], "job: expires pre-registrations (O5, O6) of every session"),
        ["LapsePlaceOffersJob"] = (["AllPrescriptions"], "job: lapses the place offers past their deadline, every organisation"),
        ["SendPrescriberMailsJob"] = (["AllCandidates", "AllPrescriptions"], "job: mails the prescribers the news of their prescriptions (transition log), every organisation"),
        ["SendCandidateConvocationsJob"] = (["AllPrescriptions"], "job: mails each convoked candidate its letter (S3), every organisation"),
        ["HistoryOutboxJob"] = (["AllPrescriptionTransitions"], "jobs' base: reads the prescription history after its watermark (the mail outbox, ADR 0017), every organisation"),
        ["DialectQueries"] = (["AllPrescriptionTransitions"], "the mail outbox's settled end: the last id of the whole history, no row read (ADR 0022)"),
        ["SensitiveReadJournal"] = (["AllSensitiveReads"], "writes the RQTH read log of candidates its callers reached through their scope; reads back only the caller's own recent lines"),
        ["GetSensitiveReads.Handler"] = (["AllCandidates", "AllSensitiveReads"], "the RQTH reads journal: the admin reads all; a référent or the délégué only the lines of its organisation's candidates (filtered in the handler); others refused"),
        ["GetPersonalDataRegister.Handler"] = (["AllCandidates", "AllPersonalDataLog"], "the register of copies and erasures: the admin reads all; a référent or délégué (checked in the database) only the lines of its organisation (filtered in the handler); others refused"),
        ["PseudonymiseInactiveCandidatesJob"] = (["AllCandidateLinks", "AllCandidates", "AllComplementMessages", "AllComplementThreads", "AllPrescriptions"],
            "job (issue #14 (4), ADR 0025): finds the candidates of every organisation with no activity for the retention period"),
        ["Pseudonymisation"] = (["AllArbitrations", "AllCandidateLinks", "AllCandidates", "AllComplementMessages", "AllComplementThreads", "AllEosAnomalies",
                "AllPrescriptionAttachments", "AllPrescriptionTransitions", "AllPrescriptions"],
            "pseudonymises the candidates its callers chose (the retention job, or an erasure by the candidate's own référent): every row about them, whoever wrote it"),
        ["EraseCandidate.Handler"] = (["AllPersonalDataLog", "AllPrescriptions"],
            "the candidate is reached through db.Candidates(user) in the référent's own organisation first; every open prescription of theirs is withdrawn, whoever received it"),
        ["GetErasureEffects.Handler"] = (["AllCandidateLinks", "AllComplementMessages", "AllComplementThreads", "AllPrescriptionAttachments"],
            "counts for the erasure dialog, of a candidate reached through db.Candidates(user) in the référent's own organisation and of prescriptions read from db.Prescriptions(user)"),
        ["ExportCandidateData.Handler"] = (["AllArbitrations", "AllCandidateLinks", "AllComplementMessages", "AllComplementThreads", "AllPersonalDataLog",
                "AllPrescriptionAttachments", "AllPrescriptionTransitions", "AllSensitiveReads"],
            "the candidate's copy: the candidate is reached through db.Candidates(user) (own organisation, référent or follower), the prescriptions through db.Prescriptions(user); then their history, messages, attachments' names, links and RQTH reads; the download is logged"),
        ["QualityAlertsJob"] = (["AllPrescriptions"], "job: counts the undecided prescriptions per OF for the Région's alerts (Q2)"),
        ["PurgeExportsJob"] = (["AllExportRequests"], "job: deletes every expired export file"),
        ["ExportJob"] = (["AllExportRequests"], "job: runs one queued export, found by its id"),
        ["ConvocationWarnings"] = (["AllPrescriptions"], "used by ConvocationWarningsJob: info sessions with candidates still to convoke (S3), every OF"),

        // Counts and places of a session, whoever reads them (no personal data leaves).
        ["SessionCounts"] = (["AllPrescriptions"], "counts a session's prescriptions for the O7 rule: a number, whoever prescribed"),
        ["SessionPlaces"] = (["AllPrescriptions"], "recomputes a session's open places (O8) from every prescription holding a place"),
        ["WaitlistPromotion"] = (["AllPrescriptions"], "promotes the waitlist of a session the caller already reached through its scope (O9)"),
        ["GetTrainingBodySessions.Handler"] = (["AllPrescriptions"], "counts per session of the OF's own sessions (filtered on OrganisationId first)"),
        ["GetBusySessions.Handler"] = (["AllPrescriptions"], "Région only (checked first): counts per session"),
        ["GetSelectionCommission.Handler"] = (["AllPrescriptions"], "visibility checked on the session first (Région, its OF, a prescriber with a prescription there); then a count"),
        ["ChangeSessionStatus.Handler"] = (["AllPrescriptions"], "cancelling a session of the OF (checked first) cancels every prescription on it, whoever prescribed"),
        ["GetConvocationWarnings.Handler"] = (["AllPrescriptions"], "OF only, its own warnings (TrainingBodyId filter): a count of candidates still to convoke"),
        ["GetAccessObservatory.Handler"] = (["AllPrescriptions"], "aggregates (counts per session) over sessions already limited to the observatory's territory; cells under 5 masked (Q3)"),
        ["GetSessionWaitlist.Handler"] = (["AllCandidates", "AllPrescriptions"], "the session is the OF's own (or the Région's), checked first: its waitlist is its candidates"),
        ["GetInfoSessions.Handler"] = (["AllCandidates", "AllPrescriptions"], "InfoSessionAccess.SessionAsync checks the session first (its OF, or the Région reading)"),
        ["SaveInfoSession.Handler"] = (["AllPrescriptions"], "the OF's own info session (checked first): is anyone convoked to it"),
        ["CancelInfoSession.Handler"] = (["AllPrescriptions"], "the OF's own info session (checked first): is anyone convoked to it"),
        ["GetSessionDecisions.Handler"] = (["AllCandidates", "AllPrescriptions", "AllPrescriptionTransitions"], "the OF's own session (checked first); names and history of prescriptions read from db.Prescriptions(user)"),

        // Scoped by hand on the line itself, or through ids already scoped.
        ["ConvokeCandidates.Handler"] = (["AllPrescriptions"], "filtered on TrainingBodyId == the OF's organisation, on the OF's own info session"),
        ["RecordAttendances.Handler"] = (["AllPrescriptions"], "filtered on TrainingBodyId == the OF's organisation, on the OF's own info session"),
        ["JustifyAbsence.Handler"] = (["AllPrescriptions"], "filtered on PrescriberOrganisationId == the prescriber's organisation (S5)"),
        ["CancelPrescription.Handler"] = (["AllPrescriptions"], "filtered on PrescriberOrganisationId == the prescriber's organisation"),
        ["RecordEntry.Handler"] = (["AllPrescriptions"], "filtered on TrainingBodyId first; then the candidate's other choices, cancelled on entry whoever prescribed them (P6)"),
        ["Prescribe.Handler"] = (["AllPrescriptions"], "the candidate is reached through db.Candidates(user) first; its active choices are counted whoever prescribed them (P6: at most three), then added"),
        ["AddPrescriptionAttachment.Handler"] = (["AllPrescriptionAttachments", "AllPrescriptions"], "filtered on PrescriberOrganisationId == the prescriber's organisation (P4)"),
        ["GetPrescriptionAttachment.Handler"] = (["AllPrescriptionAttachments"], "joined to db.Prescriptions(user); complement documents only for the two parties (P8)"),
        ["GetPrescription.Handler"] = (["AllArbitrations", "AllCandidates", "AllPrescriptions", "AllPrescriptionTransitions"], "details, history and arbitration cases of prescriptions read from db.Prescriptions(user); waitlist positions are ranks, not names"),
        ["CreateCandidate.Handler"] = (["AllCandidates"], "adds a candidate to the prescriber's own organisation"),
        ["CreateCandidateLink.Handler"] = (["AllCandidateLinks"], "adds a link for a candidate reached through db.Candidates(user)"),
        ["RevokeCandidateLink.Handler"] = (["AllCandidateLinks"], "the link's candidate must be in db.Candidates(user)"),
        ["GetCandidateLinks.Handler"] = (["AllCandidateLinks"], "the candidate is checked in db.Candidates(user) first"),
        ["GetCandidateFollowUp.Handler"] = (["AllCandidateLinks", "AllCandidates", "AllPrescriptions"], "the candidate's own page: no user, the personal link's token (hashed) is the scope"),
        ["GetPrescriberDashboard.Handler"] = (["AllComplementMessages", "AllComplementThreads"], "threads of prescriptions read from db.Prescriptions(user)"),
        ["OpenComplement.Handler"] = (["AllComplementThreads", "AllPrescriptions"], "filtered on PrescriberOrganisationId == the prescriber's organisation (P8)"),
        ["PostComplementMessage.Handler"] = (["AllComplementMessages", "AllComplementThreads"], "ComplementParty.ResolveAsync checks the user is one of the two parties first (P8)"),
        ["SendComplementDocument.Handler"] = (["AllComplementMessages", "AllComplementThreads", "AllPrescriptionAttachments"], "ComplementParty.ResolveAsync checks the user is one of the two parties first (P8)"),
        ["GetComplementThread.Handler"] = (["AllComplementMessages", "AllComplementThreads", "AllPrescriptionAttachments"], "prescription read from db.Prescriptions(user), then limited to its two parties (P8)"),
        ["ConvocationLetter"] = (["AllCandidates", "AllPrescriptionTransitions"], "reads the letter of a prescription from the set its caller passes (db.Prescriptions(user), or a job's)"),

        // Exports: a user's own requests.
        ["RequestExport.Handler"] = (["AllExportRequests"], "adds the user's own request"),
        ["GetMyExports.Handler"] = (["AllExportRequests"], "filtered on RequestedBy == the user and OrganisationId == the user's organisation"),
        ["GetExportFile.Handler"] = (["AllExportRequests"], "filtered on RequestedBy == the user and OrganisationId == the user's organisation"),

        // EOS and entries recorded outside the portal (S11, O1).
        ["ImportEos.Handler"] = (["AllCandidates", "AllEosImports", "AllOfflineEntries", "AllPrescriptions"], "Région only (EosAccess.Require): matches the EOS file against every candidate and prescription (S11)"),
        ["GetEosCoherence.Handler"] = (["AllEosAnomalies", "AllEosImports"], "Région only (EosAccess.Require)"),
        ["EntriesWithPrescription"] = (["AllEosAnomalies", "AllEosImports"], "Région's quality indicator (S11): counts of the last EOS import"),
        ["RecordOfflineEntry.Handler"] = (["AllCandidates", "AllOfflineEntries", "AllPrescriptions"], "OfflineEntryAccess.FindSessionAsync checks the session is the OF's (or the Région's) first; a duplicate check on that session"),
        ["GetOfflineEntries.Handler"] = (["AllOfflineEntries"], "OfflineEntryAccess.FindSessionAsync checks the session first"),

        // Observatory and piloting: aggregates of the reader's territory.
        ["ObservatoryScope"] = (["AllPrescriptions"], "the observatory's own scope: the whole region, or the training bodies of the reader's territory (EnsureCanRead first)"),
        ["GetEvaluationReport.Handler"] = (["AllArbitrations", "AllComplementThreads"], "counts per quarter, limited to ObservatoryScope.Prescriptions (Q4)"),
        ["GetOverview.Handler"] = (["AllAccessRequests", "AllArbitrations"], "counts the open cases assigned to the user's organisation; the pending access requests for the administrator only"),

        // Arbitrations (S10): the MFE's cases are reached through ArbitrationsToDecide(user).
        ["ArbitrationAccess"] = (["AllArbitrations"], "the arbitrations' scope itself: the MFE's assigned cases"),
        ["GetArbitrations.Handler"] = (["AllCandidates", "AllPrescriptions"], "joined to db.ArbitrationsToDecide(user): the prescriptions of the MFE's own cases"),
        ["GetArbitrationCase.Handler"] = (["AllCandidates", "AllPrescriptions", "AllPrescriptionTransitions"], "the case is read from db.ArbitrationsToDecide(user) first"),
        ["DecideArbitration.Handler"] = (["AllPrescriptions"], "the case is read from db.ArbitrationsToDecide(user) first"),
        ["ChangeMfeTerritory.Handler"] = (["AllArbitrations", "AllPrescriptions"], "Région or admin only (checked first): a new MFE for a territory takes over every open case concerned"),
        ["ArgueArbitration.Handler"] = (["AllArbitrations"], "the open case of a prescription the party reached through its scope"),
        ["GetPrescriptionArbitration.Handler"] = (["AllArbitrations"], "the case of a prescription read from the user's scope first"),
        ["OpenArbitration.Handler"] = (["AllArbitrations"], "a case on a prescription the party reached through its scope"),

        // Access requests and the audit log (issue #14 (2), ADR 0024).
        ["AccessRules"] = (["AllAccessRequests"], "the deciders' scope itself: all for the administrator, the organisation's for its référent or délégué"),
        ["AuditTrail"] = (["AllAuditEntries"], "adds an audit line in the caller's unit of work (never reads)"),
        ["RequestAccess.Handler"] = (["AllAccessRequests"], "adds the requester's own request; checks their own open one (UserId == theirs)"),
        ["GetMyAccessRequest.Handler"] = (["AllAccessRequests"], "the requester's own requests (joined to their account by their identity's subject)"),
        ["AccessDecisionMailJob"] = (["AllAccessRequests"], "job: mails the requester the decision of one request, found by its id"),
        ["AccessRequestMailJob"] = (["AllAccessRequests"], "job: mails the deciders of one pending request, found by its id, its requester's name and e-mail"),
        ["SearchAudit.Handler"] = (["AllAuditEntries"], "administrator only (checked first)"),
    };

    [GeneratedRegex(@"\.\s*(?<name>All[A-Z]\w*)\b")]
    private static partial Regex UnscopedSet();

    private static IReadOnlyList<SourceScanner.Use> Uses()
    {
        var root = SourceScanner.RepositoryRoot();
        var src = Path.Combine(root.FullName, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Portal.Migrations.", StringComparison.Ordinal))
            .SelectMany(f => SourceScanner.Find(Path.GetRelativePath(root.FullName, f).Replace('\\', '/'), File.ReadAllText(f), UnscopedSet()))
            .Where(u => UnscopedSetNames.Contains(u.Name))];
    }

    /// <summary>The All* sets of IAppDbContext, read from the interface itself so that a new one is covered at once.</summary>
    private static readonly HashSet<string> UnscopedSetNames =
        [.. typeof(Portal.Application.Abstractions.IAppDbContext).GetProperties().Select(p => p.Name).Where(n => n.StartsWith("All", StringComparison.Ordinal))];

    [Fact]
    public void TheUnscopedSets_AreTheOnesHoldingPersonalOrOrganisationData()
    {
        UnscopedSetNames.ShouldBe(
            ["AllCandidates", "AllPrescriptions", "AllPrescriptionTransitions", "AllPrescriptionAttachments", "AllComplementThreads",
             "AllComplementMessages", "AllCandidateLinks", "AllSensitiveReads", "AllArbitrations", "AllExportRequests",
             "AllOfflineEntries", "AllEosImports", "AllEosAnomalies", "AllAccessRequests", "AllAuditEntries", "AllPersonalDataLog"], ignoreOrder: true);
    }

    [Fact]
    public void EveryTypeReadingAnUnscopedSet_IsListedWithItsReason()
    {
        var uses = Uses();
        uses.ShouldNotBeEmpty("the scan found no All* use at all: is the repository root right?");
        var unlisted = uses
            .Where(u => !Allowed.TryGetValue(u.Type, out var entry) || !entry.Sets.Contains(u.Name))
            .GroupBy(u => u.Type)
            .Select(g => $"""        ["{g.Key}"] = ([{string.Join(", ", g.Select(u => u.Name).Distinct().Order().Select(n => $"\"{n}\""))}], "<why it may>"), // {string.Join(", ", g.Select(u => $"{u.File}:{u.Line}").Distinct())}""")
            .ToList();
        unlisted.ShouldBeEmpty(
            "These types read an unscoped All* set of IAppDbContext (issue #15, ADR 0001). Start the query from AccessScope " +
            "(db.Candidates(user), db.Prescriptions(user)) or, if the code may see past the user's scope (a job, a lookup " +
            "by ids already scoped, a check before the scope is known), add or extend its entry in UnscopedSetsTests.Allowed " +
            "with the reason:\n" + string.Join("\n", unlisted));
    }

    [Fact]
    public void EveryAllowListEntry_IsStillUsed()
    {
        var uses = Uses().Select(u => (u.Type, u.Name)).ToHashSet();
        var stale = Allowed
            .SelectMany(e => e.Value.Sets.Select(s => (Type: e.Key, Name: s)))
            .Where(e => !uses.Contains(e))
            .Select(e => $"{e.Type} no longer reads {e.Name}")
            .ToList();
        stale.ShouldBeEmpty("Remove these from UnscopedSetsTests.Allowed, so that the list says only what is true:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void TheScanner_AttributesUsesToTheirNestedType_AndIgnoresCommentsAndStrings()
    {
        const string source = """
            public sealed record GetThing(Guid Id)
            {
                public sealed record Row(string Name);
                public sealed class Handler(IAppDbContextFactory dbFactory)
                {
                    // db.AllCandidates in a comment
                    private const string Text = "db.AllPrescriptions { in a string";
                    public void Run() { var x = db.AllArbitrations.Where(a => a.Id == Id); }
                }
            }
            public static class Helper { static void F() => db
                .AllOfflineEntries.Count(); }
            """;
        var uses = SourceScanner.Find("x.cs", source, UnscopedSet()).Select(u => (u.Type, u.Name, u.Line)).ToList();
        uses.ShouldBe([("GetThing.Handler", "AllArbitrations", 8), ("Helper", "AllOfflineEntries", 12)]);
    }
}
