using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S2, S3: the convocation as the candidate reads it, in plain French: the meeting (kind, date, time, place), what to
/// bring, the training and its OF, whom to call. The same text is e-mailed to the candidate when an address is known
/// (<see cref="Notifications.SendCandidateConvocationsJob"/>) and printed by the prescriber to hand over (the letter page).
/// </summary>
public sealed record ConvocationLetter(
    Guid PrescriptionId, string CandidateName, string? CandidateEmail, bool Pseudonymised, string FicheTitle, string TrainingBody, string? TrainingBodyAddress,
    InfoSessionKind Kind, DateTimeOffset StartsAt, string Place, string WhatToBring, DateOnly SessionStart, DateOnly SessionEnd,
    string? OfContactName, string? OfContactEmail, string PrescriberName, string PrescriberOrganisation, string PrescriberEmail,
    DateTimeOffset ConvokedAt, bool Late)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The meeting in Paris time, e.g. "mardi 15 décembre 2026 à 09 h 30".</summary>
    public string When => FrenchTime.ToFrance(StartsAt).ToString("dddd d MMMM yyyy 'à' HH 'h' mm", French);

    public string MeetingLabel => Kind == InfoSessionKind.Individual ? "un entretien individuel" : "une information collective";

    public string Subject => $"Convocation à {MeetingLabel} le {FrenchTime.ToFrance(StartsAt).ToString("d MMMM yyyy", French)} – {FicheTitle}";

    /// <summary>The letter's paragraphs, in order (the mail joins them with blank lines; the page shows one per block).</summary>
    public IReadOnlyList<string> Paragraphs()
    {
        var list = new List<string>
        {
            $"Bonjour {CandidateName},",
            $"Votre conseiller(ère) {PrescriberName} ({PrescriberOrganisation}) vous a inscrit(e) à la formation « {FicheTitle} » "
                + $"proposée par {TrainingBody}, du {SessionStart.ToString("d MMMM yyyy", French)} au {SessionEnd.ToString("d MMMM yyyy", French)}.",
            $"Vous êtes convoqué(e) à {MeetingLabel} :",
            $"Date et heure : {When}",
            $"Lieu : {Place}",
            string.IsNullOrWhiteSpace(WhatToBring) ? "À apporter : une pièce d'identité." : $"À apporter : {WhatToBring}",
            "Cette rencontre est obligatoire pour entrer en formation : l'organisme vous présente la formation et vérifie avec vous qu'elle correspond à votre projet.",
            "Si vous ne pouvez pas venir, prévenez au plus vite votre conseiller(ère) : une absence justifiée ne vous fait pas perdre votre place dans la sélection.",
        };
        var contacts = $"Votre conseiller(ère) : {PrescriberName}, {PrescriberOrganisation}, {PrescriberEmail}.";
        if (OfContactName is not null)
            contacts += $" L'organisme de formation : {OfContactName}, {TrainingBody}{(OfContactEmail is null ? "" : ", " + OfContactEmail)}"
                + $"{(string.IsNullOrWhiteSpace(TrainingBodyAddress) ? "" : ", " + TrainingBodyAddress)}.";
        list.Add("Contacts : " + contacts);
        if (Late)
            list.Add("Cette convocation vous parvient moins de 7 jours avant la réunion : si ce délai vous empêche de venir, dites-le à votre conseiller(ère), cela sera pris en compte.");
        list.Add("Bonne journée,");
        list.Add(TrainingBody);
        return list;
    }

    public string MailBody => string.Join("\n\n", Paragraphs()) + "\n\n-- \nPortail de prescription de la formation régionale (message automatique, ne pas répondre : écrivez à votre conseiller(ère)).";

    /// <summary>The letter of one convoked prescription (null when it is not convoked, or unknown).</summary>
    internal static async Task<ConvocationLetter?> ReadAsync(IAppDbContext db, IQueryable<Prescription> prescriptions, Guid prescriptionId, CancellationToken cancellationToken) =>
        (await ReadManyAsync(db, prescriptions, [prescriptionId], cancellationToken)).GetValueOrDefault(prescriptionId);

    /// <summary>The letters of the convoked prescriptions among <paramref name="prescriptionIds"/>, in one query.</summary>
    internal static async Task<Dictionary<Guid, ConvocationLetter>> ReadManyAsync(IAppDbContext db, IQueryable<Prescription> prescriptions,
        IReadOnlyCollection<Guid> prescriptionIds, CancellationToken cancellationToken)
    {
        var convoked = PrescriptionStatus.Convoked;
        var ids = prescriptionIds.ToList();
        var rows = await (
                from p in prescriptions.AsNoTracking()
                where ids.Contains(p.Id) && p.ConvokedInfoSessionId != null
                join i in db.InfoSessions on p.ConvokedInfoSessionId equals i.Id
                join c in db.AllCandidates on p.CandidateId equals c.Id
                join s in db.Sessions on p.SessionId equals s.Id
                join f in db.FicheActions on s.FicheActionId equals f.Id
                join o in db.Organisations on p.TrainingBodyId equals o.Id
                join po in db.Organisations on p.PrescriberOrganisationId equals po.Id
                join u in db.Users on p.PrescriberUserId equals u.Id
                select new
                {
                    p.Id, c.FirstName, c.LastName, c.Email, c.IsPseudonymised, f.Title, Of = o.Name, o.Address, i.Kind, i.StartsAt, i.Place, i.WhatToBring,
                    s.Start, s.End, Prescriber = u.GivenName + " " + u.FamilyName, PrescriberOrganisation = po.Name, PrescriberEmail = u.Email,
                    ConvokedAt = p.ConvokedAt!.Value, p.ConvokedLate,
                    // The OF user who made the (last) convocation: the candidate's contact at the OF.
                    OfUser = db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == p.Id && t.To == convoked && t.ByUserId != null)
                        .OrderByDescending(t => t.Id)
                        .Join(db.Users, t => t.ByUserId, x => x.Id, (t, x) => new { Name = x.GivenName + " " + x.FamilyName, x.Email })
                        .FirstOrDefault(),
                })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.Id, row => new ConvocationLetter(row.Id, $"{row.FirstName} {row.LastName}", row.Email, row.IsPseudonymised, row.Title,
            row.Of, row.Address, row.Kind, row.StartsAt, row.Place, row.WhatToBring, row.Start, row.End, row.OfUser?.Name, row.OfUser?.Email,
            row.Prescriber, row.PrescriberOrganisation, row.PrescriberEmail, row.ConvokedAt, row.ConvokedLate));
    }
}

/// <summary>
/// S2, S3: the convocation letter of a prescription, for its readers (the prescriber who hands it over, the OF, the
/// Région); not found outside the reader's scope (ADR 0001) or when the candidate is not convoked.
/// </summary>
public sealed record GetConvocationLetter(Guid PrescriptionId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<ConvocationLetter> HandleAsync(GetConvocationLetter query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var letter = await ConvocationLetter.ReadAsync(db, db.Prescriptions(user), query.PrescriptionId, cancellationToken)
                ?? throw new NotFoundException("Aucune convocation pour cette prescription.");
            if (letter.Pseudonymised) throw new NotFoundException("Aucune convocation pour cette prescription.");
            return letter;
        }
    }
}
