using Microsoft.EntityFrameworkCore;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.Application.Tests.Support;

/// <summary>
/// Adds offer rows of a test's own to a test database, through the domain's constructors and methods
/// (a validated fiche is described, submitted and validated, as in DemoData).
/// </summary>
internal static class OfferBuilder
{
    /// <summary>An instant long before every session of the tests (used to create and validate fiches).</summary>
    public static readonly DateTimeOffset LongAgo = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset NoonUtc(DateOnly day) => new(day, new TimeOnly(12, 0), TimeSpan.Zero);

    public static FicheAction ValidatedFiche(Guid trainingBodyId, string title = "Agent de propreté et d'hygiène", EntryMode mode = EntryMode.Grouped)
    {
        var fiche = new FicheAction(trainingBodyId, title, mode, LongAgo);
        fiche.Describe(
            objectives: "Obtenir le titre professionnel et accéder à l'emploi.",
            content: "Techniques de nettoyage, sécurité, relation client, stage en entreprise.",
            prerequisites: "Savoirs de base.",
            admissionConditions: "Demandeur d'emploi inscrit ; prescription obligatoire.",
            selectionModalities: "Information collective puis entretien individuel.",
            selectionCriteria: ["Motivation pour le métier", "Aptitude physique"],
            romeCodes: ["K2204"],
            hoursInCentre: 400,
            hoursInCompany: 140);
        fiche.Submit(LongAgo.AddDays(1));
        fiche.Validate(LongAgo.AddDays(2));
        return fiche;
    }

    /// <summary>
    /// Saves a new planned session starting on <paramref name="start"/> (registration deadline
    /// <paramref name="registrationDeadline"/>, by default a week before the start), on a validated fiche of
    /// its own; <paramref name="arrange"/> may move it along its lifecycle before it is saved.
    /// </summary>
    public static async Task<TrainingSession> AddSessionAsync(TestDatabase database, Guid trainingBodyId, DateOnly start,
        DateOnly? registrationDeadline = null, int capacity = 12, Action<TrainingSession>? arrange = null)
    {
        var fiche = ValidatedFiche(trainingBodyId);
        var session = new TrainingSession(fiche, start, start.AddDays(120), registrationDeadline ?? start.AddDays(-7), capacity, "33063");
        arrange?.Invoke(session);
        await using var db = database.CreateDbContext();
        db.FicheActions.Add(fiche);
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session;
    }

    /// <summary>The session as stored now (a fresh context, no tracking).</summary>
    public static async Task<TrainingSession> ReloadSessionAsync(TestDatabase database, Guid sessionId)
    {
        await using var db = database.CreateDbContext();
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
    }
}
