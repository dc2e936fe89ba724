using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Administration;

/// <summary>One row the update adds or changes: its code, its name, and what changes in French ("ajoutée" or "nom : A → B").</summary>
public sealed record ReferenceChange(string Code, string Name, bool Added, string What);

/// <summary>What an update file would do to a reference list, before anything is written (issue #14, point 3).</summary>
public sealed record ReferencePreview(ReferenceList List, string Format, int FileRows, int Added, int Changed, int Unchanged, int Absent,
    IReadOnlyList<ReferenceChange> Changes, IReadOnlyList<string> Errors)
{
    /// <summary>The changes listed on screen (the counts cover them all).</summary>
    public const int MaxChangesShown = 100;

    public bool CanApply => Errors.Count == 0 && Added + Changed > 0;
}

/// <summary>
/// The administrator's preview of a reference list update: the file read and compared with the list as it stands;
/// nothing is written. Rows absent from the file are kept (candidates, sessions, organisations and fiches refer to them).
/// </summary>
public sealed record PreviewReferenceUpdate(ReferenceList List, byte[] Content)
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<ReferencePreview> HandleAsync(PreviewReferenceUpdate query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ReferenceUpdate.EnsureAdmin(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            // The same comparison as the update's, on tracked rows that are never saved.
            return await ReferenceUpdate.CompareAsync(db, query.List, query.Content, cancellationToken);
        }
    }
}

/// <summary>
/// Applies a reference list update, all or nothing, in one transaction: the file is read again and compared again (the
/// list may have changed since the preview), any error refuses it with nothing written. Changing a commune's
/// département or coordinates recomputes the observatory facts of the prescriptions concerned (ADR 0011's triggers).
/// </summary>
public sealed record ApplyReferenceUpdate(ReferenceList List, byte[] Content)
{
    public sealed record Result(int Added, int Changed, int Absent);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, ILogger<ApplyReferenceUpdate> logger)
    {
        public async Task<Result> HandleAsync(ApplyReferenceUpdate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ReferenceUpdate.EnsureAdmin(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var preview = await ReferenceUpdate.CompareAsync(db, command.List, command.Content, cancellationToken);
            if (preview.Errors.Count > 0) throw new DomainException(ReferenceFiles.Refusal(preview.Errors));
            if (preview.Added + preview.Changed == 0)
                throw new DomainException($"Le fichier ne change rien : les {preview.FileRows} {ReferenceFiles.Describe(command.List)} qu'il contient sont déjà à jour.");
            // Issue #14 (2): the audit log, in the same transaction.
            Access.AuditTrail.Record(db, user, clock.GetUtcNow(), Domain.Audit.AuditAction.ReferenceListUpdated, null,
                command.List switch
                {
                    ReferenceList.Communes => "Communes",
                    ReferenceList.NonSelectionReasons => "Motifs de non-sélection",
                    _ => "Codes ROME",
                }, $"{preview.FileRows} lignes dans le fichier ({preview.Format})",
                $"{preview.Added} ajout(s), {preview.Changed} modification(s), {preview.Absent} absente(s) du fichier conservée(s)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            // The fiche editor's autocompletes hold the communes and ROME codes in memory: each server reads them again.
            await notifier.PublishAsync(new ReferenceListChanged(command.List), CancellationToken.None);
            logger.LogInformation("Reference list {List} updated by {User}: {Added} added, {Changed} changed, {Absent} absent from the file and kept",
                command.List, user.UserId, preview.Added, preview.Changed, preview.Absent);
            return new Result(preview.Added, preview.Changed, preview.Absent);
        }
    }
}

internal static class ReferenceUpdate
{
    public static void EnsureAdmin(CurrentUser user)
    {
        if (!user.Is(Domain.Organisations.Role.Admin))
            throw new AccessDeniedException("Seul l'administrateur du portail met à jour les référentiels.");
    }

    /// <summary>Reads the file and brings the context's tracked rows to it (added or modified, not saved).</summary>
    public static async Task<ReferencePreview> CompareAsync(IAppDbContext db, ReferenceList list, byte[] content, CancellationToken cancellationToken) =>
        list switch
        {
            ReferenceList.Communes => await CompareCommunesAsync(db, ReferenceFiles.ParseCommunes(content), cancellationToken),
            ReferenceList.NonSelectionReasons => await CompareReasonsAsync(db, ReferenceFiles.ParseNonSelectionReasons(content), cancellationToken),
            _ => await CompareRomeCodesAsync(db, ReferenceFiles.ParseRomeCodes(content), cancellationToken),
        };

    private static async Task<ReferencePreview> CompareCommunesAsync(IAppDbContext db, ReferenceFiles.Parsed<ReferenceFiles.CommuneRow> file, CancellationToken cancellationToken)
    {
        if (file.Errors.Count > 0) return new(ReferenceList.Communes, file.Format, 0, 0, 0, 0, 0, [], file.Errors);
        var current = await db.Communes.ToDictionaryAsync(c => c.InseeCode, StringComparer.Ordinal, cancellationToken);
        var changes = new List<ReferenceChange>();
        var (added, changed) = (0, 0);
        foreach (var row in file.Rows)
        {
            if (!current.TryGetValue(row.InseeCode, out var commune))
            {
                db.Communes.Add(new Commune
                {
                    InseeCode = row.InseeCode, Name = row.Name, DepartementCode = row.DepartementCode, DepartementName = row.DepartementName,
                    PostalCodes = row.PostalCodes, Population = row.Population ?? 0, Latitude = row.Latitude, Longitude = row.Longitude,
                });
                added++;
                Note(changes, new(row.InseeCode, row.Name, true, "ajoutée"));
                continue;
            }
            var what = new List<string>();
            if (commune.Name != row.Name) what.Add($"nom : {commune.Name} → {row.Name}");
            if (commune.DepartementCode != row.DepartementCode) what.Add($"département : {commune.DepartementCode} → {row.DepartementCode}");
            if (commune.DepartementName != row.DepartementName) what.Add($"nom du département : {commune.DepartementName} → {row.DepartementName}");
            if (commune.PostalCodes != row.PostalCodes) what.Add($"codes postaux : {Postal(commune.PostalCodes)} → {Postal(row.PostalCodes)}");
            if (row.Population is { } population && commune.Population != population) what.Add($"population : {commune.Population} → {population}");
            if (!Same(commune.Latitude, row.Latitude) || !Same(commune.Longitude, row.Longitude))
                what.Add($"coordonnées : {Point(commune.Latitude, commune.Longitude)} → {Point(row.Latitude, row.Longitude)}");
            if (what.Count == 0) continue;
            var name = commune.Name;
            commune.Name = row.Name;
            commune.DepartementCode = row.DepartementCode;
            commune.DepartementName = row.DepartementName;
            commune.PostalCodes = row.PostalCodes;
            if (row.Population is { } p) commune.Population = p;
            if (!Same(commune.Latitude, row.Latitude)) commune.Latitude = row.Latitude;
            if (!Same(commune.Longitude, row.Longitude)) commune.Longitude = row.Longitude;
            changed++;
            Note(changes, new(row.InseeCode, name, false, string.Join(" ; ", what)));
        }
        var absent = current.Count - (file.Rows.Count - added);
        return new(ReferenceList.Communes, file.Format, file.Rows.Count, added, changed, file.Rows.Count - added - changed, absent, changes, []);
    }

    private static async Task<ReferencePreview> CompareRomeCodesAsync(IAppDbContext db, ReferenceFiles.Parsed<ReferenceFiles.RomeRow> file, CancellationToken cancellationToken)
    {
        if (file.Errors.Count > 0) return new(ReferenceList.RomeCodes, file.Format, 0, 0, 0, 0, 0, [], file.Errors);
        var current = await db.RomeCodes.ToDictionaryAsync(r => r.Code, StringComparer.Ordinal, cancellationToken);
        var changes = new List<ReferenceChange>();
        var (added, changed) = (0, 0);
        foreach (var row in file.Rows)
        {
            if (!current.TryGetValue(row.Code, out var rome))
            {
                db.RomeCodes.Add(new RomeCode { Code = row.Code, Label = row.Label });
                added++;
                Note(changes, new(row.Code, row.Label, true, "ajouté"));
            }
            else if (rome.Label != row.Label)
            {
                Note(changes, new(row.Code, rome.Label, false, $"libellé : {rome.Label} → {row.Label}"));
                rome.Label = row.Label;
                changed++;
            }
        }
        var absent = current.Count - (file.Rows.Count - added);
        return new(ReferenceList.RomeCodes, file.Format, file.Rows.Count, added, changed, file.Rows.Count - added - changed, absent, changes, []);
    }

    /// <summary>
    /// ADR 0026: the reasons list. A reason is changed when its label, kind, active flag or place changes; the reasons
    /// absent from the file are kept as they are (decisions refer to them). The list must keep at least one active
    /// reason: without one, no OF could refuse a candidate with an explicit reason (S7).
    /// </summary>
    private static async Task<ReferencePreview> CompareReasonsAsync(IAppDbContext db, ReferenceFiles.Parsed<ReferenceFiles.ReasonRow> file, CancellationToken cancellationToken)
    {
        if (file.Errors.Count > 0) return new(ReferenceList.NonSelectionReasons, file.Format, 0, 0, 0, 0, 0, [], file.Errors);
        var current = await db.NonSelectionReasons.ToDictionaryAsync(r => r.Code, StringComparer.Ordinal, cancellationToken);
        var changes = new List<ReferenceChange>();
        var (added, changed) = (0, 0);
        for (var i = 0; i < file.Rows.Count; i++)
        {
            var row = file.Rows[i];
            var order = i + 1;
            if (!current.TryGetValue(row.Code, out var reason))
            {
                db.NonSelectionReasons.Add(new NonSelectionReasonEntry(row.Code, row.Label, row.Kind, row.Active, order));
                added++;
                Note(changes, new(row.Code, row.Label, true, row.Active ? $"ajouté ({row.Kind.Label()})" : $"ajouté, inactif ({row.Kind.Label()})"));
                continue;
            }
            var what = new List<string>();
            if (reason.Label != row.Label) what.Add($"libellé : {reason.Label} → {row.Label}");
            if (reason.Kind != row.Kind) what.Add($"catégorie : {reason.Kind.Label()} → {row.Kind.Label()}");
            if (reason.Active != row.Active) what.Add(row.Active ? "réactivé : proposé à nouveau" : "désactivé : n'est plus proposé");
            if (reason.DisplayOrder != order) what.Add($"place : {reason.DisplayOrder} → {order}");
            if (what.Count == 0) continue;
            Note(changes, new(row.Code, reason.Label, false, string.Join(" ; ", what)));
            reason.Update(row.Label, row.Kind, row.Active, order);
            changed++;
        }
        var absent = current.Count - (file.Rows.Count - added);
        var inFile = file.Rows.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var activeAfter = file.Rows.Count(r => r.Active) + current.Values.Count(r => r.Active && !inFile.Contains(r.Code));
        IReadOnlyList<string> errors = activeAfter == 0
            ? ["Après cette mise à jour, aucun motif ne serait actif : gardez au moins un motif actif (actif = oui), sans quoi aucun organisme ne pourrait motiver un refus (S7)."]
            : [];
        return new(ReferenceList.NonSelectionReasons, file.Format, file.Rows.Count, added, changed, file.Rows.Count - added - changed, absent,
            errors.Count > 0 ? [] : changes, errors);
    }

    private static void Note(List<ReferenceChange> changes, ReferenceChange change)
    {
        if (changes.Count < ReferencePreview.MaxChangesShown) changes.Add(change);
    }

    /// <summary>Coordinates are published with 4 decimals (about 10 m): a difference below that is not a change.</summary>
    private static bool Same(double a, double b) => Math.Abs(a - b) < 0.00005;

    private static string Point(double latitude, double longitude) =>
        $"{latitude.ToString("0.####", CultureInfo.InvariantCulture)}, {longitude.ToString("0.####", CultureInfo.InvariantCulture)}";

    private static string Postal(string codes) => codes.Length == 0 ? "aucun" : codes.Replace("|", ", ", StringComparison.Ordinal);
}
