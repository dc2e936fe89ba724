using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Infrastructure.Persistence;

/// <summary>One table of a copy: rows and checksum on each side (issue #16, point 7).</summary>
/// <param name="DoublesAgree">Every floating-point value of the target within <see cref="DatabaseCopier.DoubleTolerance"/> of the source's.</param>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows, string SourceChecksum, string TargetChecksum, bool DoublesAgree = true)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum && DoublesAgree;
}

/// <summary>
/// Copies a portal database into an empty one of another engine (a SQLite file into PostgreSQL, issue #16 point 7,
/// ADR 0021): the target is migrated, every table of the model is copied through EF Core in the order of its foreign
/// keys, ids kept (identity sequences moved past the copied ids), in ONE transaction (a failure leaves the target as
/// empty as it was); the observatory facts are then rebuilt by the target's own triggers and backfill (ADR 0011).
/// Reading and writing through the model converts each value between the engines' encodings (instants stored as
/// integers on SQLite, <c>timestamptz</c> on PostgreSQL). The copy is then verified table by table: the row counts and
/// a SHA-256 of every row's values in key order, read back through the model on both sides, must be equal.
/// </summary>
/// <remarks>
/// Canonical values of the checksum: instants in UTC at the microsecond (PostgreSQL keeps microseconds: a SQLite
/// instant's 100-ns ticks below that are not kept). Doubles stay out of the hash and are compared one by one within a
/// relative <see cref="DoubleTolerance"/>: the journey's kilometres are computed again by each engine's maths functions,
/// which differ in the last bits, and no rounding of the text is safe (73.875352533949993 and 73.87535253395002 round
/// apart at 12 significant digits: a benchmark copy was once reported different so). Hangfire's own tables are not part of the model and are not
/// copied: recurring jobs are registered again at start-up; stop the portal and let its queue drain before a copy.
/// </remarks>
public sealed class DatabaseCopier(Func<PortalDbContext> source, Func<PortalDbContext> target, TextWriter log)
{
    /// <summary>Rows written per SaveChanges (and kept in memory at once).</summary>
    public int ChunkSize { get; init; } = 2_000;

    public async Task<IReadOnlyList<TableCopy>> CopyAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IEntityType> tables;
        await using (var s = source())
        {
            tables = InsertionOrder(s.Model);
        }

        await using (var t = target())
        {
            t.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await t.Database.MigrateAsync(cancellationToken);
            await ObservatoryFactsSql.EnsureAsync(t, cancellationToken);
            foreach (var type in tables)
            {
                // A table the migrations fill (HasData: the non-selection reasons) holds those rows only, in an empty base.
                if (await CountAsync(t, type, cancellationToken) > SeedRows(t, type))
                    throw new InvalidOperationException(
                        $"La base cible n'est pas vide (table {type.GetTableName()}) : la copie se fait dans une base vide, rien n'a été modifié.");
            }

            t.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await t.Database.BeginTransactionAsync(cancellationToken);
            // The rows the migrations wrote give way to the source's own (the same seed, as the source's portal changed it).
            var sql = t.GetService<ISqlGenerationHelper>();
            foreach (var type in tables.Reverse().Where(e => SeedRows(t, e) > 0))
            {
                // The table's name comes from the model, delimited by the provider: no outside text in this statement.
                var delete = "DELETE FROM " + sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());
                await t.Database.ExecuteSqlRawAsync(delete, cancellationToken);
            }
            foreach (var type in tables)
            {
                var rows = await CopyTableAsync(type, t, cancellationToken);
                await log.WriteLineAsync($"{type.GetTableName()} : {rows} ligne(s) copiée(s)");
            }
            await MoveSequencesPastCopiedIdsAsync(t, tables, cancellationToken);
            await RebuildFactsAsync(t, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await VerifyAsync(cancellationToken);
    }

    /// <summary>How many rows of the table the migrations write (HasData, kept in the design-time model only).</summary>
    private static int SeedRows(DbContext context, IEntityType type) =>
        context.GetService<IDesignTimeModel>().Model.FindEntityType(type.Name)?.GetSeedData().Count() ?? 0;

    /// <summary>Each table's rows and checksum on both sides, read back through the model in key order.</summary>
    public async Task<IReadOnlyList<TableCopy>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IEntityType> tables;
        await using (var s = source()) tables = InsertionOrder(s.Model);
        var report = new List<TableCopy>();
        foreach (var type in tables)
        {
            var (sourceRows, sourceSum, sourceDoubles) = await ChecksumAsync(source, type, cancellationToken);
            var (targetRows, targetSum, targetDoubles) = await ChecksumAsync(target, type, cancellationToken);
            report.Add(new TableCopy(type.GetTableName()!, sourceRows, targetRows, sourceSum, targetSum, DoublesClose(sourceDoubles, targetDoubles)));
        }
        return report;
    }

    /// <summary>Tables in an order where every row's foreign keys point to rows already copied (self-references aside).</summary>
    public static IReadOnlyList<IEntityType> InsertionOrder(IModel model)
    {
        var types = model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.BaseType is null && e.GetTableName() is not null && e.FindPrimaryKey() is not null)
            .OrderBy(e => e.GetTableName(), StringComparer.Ordinal)
            .ToList();
        var ordered = new List<IEntityType>();
        var done = new HashSet<IEntityType>();
        while (ordered.Count < types.Count)
        {
            var next = types.FirstOrDefault(e => !done.Contains(e) && e.GetForeignKeys()
                .Select(fk => fk.PrincipalEntityType.GetRootType())
                .All(p => p == e || done.Contains(p) || !types.Contains(p)))
                ?? throw new InvalidOperationException("Les clés étrangères du modèle forment un cycle : ordre de copie introuvable.");
            ordered.Add(next);
            done.Add(next);
        }
        return ordered;
    }

    private async Task<long> CopyTableAsync(IEntityType type, PortalDbContext t, CancellationToken cancellationToken)
    {
        await using var s = source();
        var count = 0L;
        var pending = 0;
        await foreach (var entity in Rows(s, type).WithCancellation(cancellationToken))
        {
            AddCopy(s.Entry(entity), t);
            count++;
            if (++pending < ChunkSize) continue;
            await t.SaveChangesAsync(cancellationToken);
            t.ChangeTracker.Clear();
            s.ChangeTracker.Clear();
            pending = 0;
        }
        if (pending > 0)
        {
            await t.SaveChangesAsync(cancellationToken);
            t.ChangeTracker.Clear();
        }
        return count;
    }

    /// <summary>The row added to the target with every value of the source's entry, shadow properties and owned values included.</summary>
    private static void AddCopy(EntityEntry from, DbContext t)
    {
        var to = t.Entry(from.Entity);
        foreach (var property in from.Properties)
        {
            if (property.Metadata.IsShadowProperty()) to.Property(property.Metadata.Name).CurrentValue = property.CurrentValue;
            // OpenIddict's dates (the only DateTime of the model: the portal's instants are DateTimeOffset) are UTC, but
            // SQLite keeps them as text without a kind; PostgreSQL's timestamptz takes UTC DateTimes only. Every portal that
            // has served a login has such rows: without this the copy failed at OpenIddictAuthorizations.
            // (Written on the entity itself: EF compares DateTimes without their kind, so setting the same ticks through an
            // entry is a no-op and the INSERT kept the Unspecified value.)
            if (property.CurrentValue is DateTime { Kind: DateTimeKind.Unspecified } date && property.Metadata.PropertyInfo is { CanWrite: true } clr)
                clr.SetValue(from.Entity, DateTime.SpecifyKind(date, DateTimeKind.Utc));
        }
        to.State = EntityState.Added;
        foreach (var navigation in from.Navigations.Where(n => n.Metadata.TargetEntityType.IsOwned()))
        {
            foreach (var owned in Values(navigation.CurrentValue))
                AddCopy(from.Context.Entry(owned), t);
        }
    }

    private static IEnumerable<object> Values(object? navigationValue) => navigationValue switch
    {
        null => [],
        System.Collections.IEnumerable many and not string => many.Cast<object>(),
        var one => [one],
    };

    private static async Task MoveSequencesPastCopiedIdsAsync(PortalDbContext t, IEnumerable<IEntityType> tables, CancellationToken cancellationToken)
    {
        if (!t.Database.IsNpgsql()) return;
        foreach (var type in tables)
        {
            var key = type.FindPrimaryKey()!.Properties;
            if (key is not [var id] || id.ValueGenerated != ValueGenerated.OnAdd || id.ClrType != typeof(long) && id.ClrType != typeof(int)) continue;
            var table = type.GetTableName()!;
            var column = id.GetColumnName(StoreObjectIdentifier.Table(table, type.GetSchema()))!;
            // Names from the model (not input), quoted as identifiers.
            var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), coalesce(max(\"{column}\"), 0) + 1, false) FROM \"{table}\"";
            await t.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }

    private static async Task RebuildFactsAsync(PortalDbContext t, CancellationToken cancellationToken)
    {
        // The tables were empty when PostgreSQL last looked: without statistics the backfill's subqueries were planned for
        // a few hundred rows (129 s for 100,000 prescriptions in the benchmark's copy). ANALYZE runs inside the transaction.
        // Once more after it: the facts' columns, which the observatories filter and group on, were all empty at the first
        // (a server on a fresh copy planned the access observatory at 583 ms against 78 ms once analysed).
        if (t.Database.IsNpgsql())
        {
            await t.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
            await t.Database.ExecuteSqlRawAsync(ObservatoryFactsPostgreSql.Backfill(), cancellationToken);
            await t.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }
        else if (t.Database.IsSqlite()) await t.Database.ExecuteSqlRawAsync(ObservatoryFactsSql.Backfill(), cancellationToken);
    }

    /// <summary>Relative difference allowed between a double of the source and its copy (engines' maths functions differ in the last bits).</summary>
    public const double DoubleTolerance = 1e-9;

    /// <summary>Same count, and each pair within <see cref="DoubleTolerance"/> (relative), both null-free by construction.</summary>
    public static bool DoublesClose(IReadOnlyList<double> source, IReadOnlyList<double> target)
    {
        if (source.Count != target.Count) return false;
        for (var i = 0; i < source.Count; i++)
        {
            var (a, b) = (source[i], target[i]);
            if (a.Equals(b)) continue;
            if (double.IsNaN(a) || double.IsNaN(b) || Math.Abs(a - b) > DoubleTolerance * Math.Max(Math.Abs(a), Math.Abs(b))) return false;
        }
        return true;
    }

    private static async Task<(long Rows, string Checksum, List<double> Doubles)> ChecksumAsync(Func<PortalDbContext> open, IEntityType type, CancellationToken cancellationToken)
    {
        await using var db = open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rows = 0L;
        var line = new StringBuilder();
        var doubles = new List<double>();
        await foreach (var entity in Rows(db, type).WithCancellation(cancellationToken))
        {
            line.Clear();
            Describe(db.Entry(entity), line, doubles);
            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
            if (++rows % 2_000 == 0) db.ChangeTracker.Clear();
        }
        return (rows, Convert.ToHexString(hash.GetHashAndReset()), doubles);
    }

    /// <summary>The row's canonical line for the hash; its doubles go to <paramref name="doubles"/> (the line says only whether each is null).</summary>
    private static void Describe(EntityEntry entry, StringBuilder line, List<double> doubles)
    {
        foreach (var property in entry.Properties.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            line.Append(property.Metadata.Name).Append('=');
            if (property.CurrentValue is double x)
            {
                doubles.Add(x);
                line.Append("#;");
            }
            else line.Append(Canonical(property.CurrentValue)).Append(';');
        }
        foreach (var navigation in entry.Navigations.Where(n => n.Metadata.TargetEntityType.IsOwned()).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            line.Append(navigation.Metadata.Name).Append("=[");
            foreach (var owned in Values(navigation.CurrentValue)) Describe(entry.Context.Entry(owned), line.Append('{'), doubles);
            line.Append("];");
        }
    }

    private static string Canonical(object? value) => value switch
    {
        null => "∅",
        DateTimeOffset d => new DateTimeOffset(d.UtcTicks - d.UtcTicks % 10, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
        // Without its kind: read from SQLite it is Unspecified, from PostgreSQL Utc, for the same instant (see AddCopy).
        DateTime d => new DateTime(d.Ticks - d.Ticks % 10, DateTimeKind.Unspecified).ToString("O", CultureInfo.InvariantCulture),
        float x => x.ToString("G6", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Every row of the table in key order, tracked (so that shadow and owned values can be read from its entry).</summary>
    private static IAsyncEnumerable<object> Rows(PortalDbContext db, IEntityType type) =>
        (IAsyncEnumerable<object>)RowsMethod.MakeGenericMethod(type.ClrType).Invoke(null, [db, type])!;

    private static readonly System.Reflection.MethodInfo RowsMethod =
        typeof(DatabaseCopier).GetMethod(nameof(RowsOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static IAsyncEnumerable<object> RowsOf<T>(PortalDbContext db, IEntityType type) where T : class
    {
        IQueryable<T> rows = db.Set<T>().IgnoreQueryFilters().AsTracking();
        IOrderedQueryable<T>? ordered = null;
        foreach (var key in type.FindPrimaryKey()!.Properties)
        {
            var name = key.Name;
            ordered = ordered is null ? rows.OrderBy(e => EF.Property<object>(e, name)) : ordered.ThenBy(e => EF.Property<object>(e, name));
        }
        return (ordered ?? rows).AsAsyncEnumerable();
    }

    private static async Task<long> CountAsync(PortalDbContext db, IEntityType type, CancellationToken cancellationToken) =>
        await ((Task<long>)CountMethod.MakeGenericMethod(type.ClrType).Invoke(null, [db, cancellationToken])!);

    private static readonly System.Reflection.MethodInfo CountMethod =
        typeof(DatabaseCopier).GetMethod(nameof(CountOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static Task<long> CountOf<T>(PortalDbContext db, CancellationToken cancellationToken) where T : class =>
        db.Set<T>().IgnoreQueryFilters().LongCountAsync(cancellationToken);
}
