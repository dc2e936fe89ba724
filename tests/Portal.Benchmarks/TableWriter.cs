using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Benchmarks;

/// <summary>
/// Bulk insert into one table with one prepared <see cref="SqliteCommand"/> reused for every row, inside
/// the caller's transaction. The column list is read from the migrated table itself (PRAGMA table_info),
/// so a column another change adds is filled with its type's neutral value (NULL when nullable) without
/// touching the generator; a row sets only the columns it knows. Values follow the portal's storage
/// conventions on SQLite (see <see cref="Store"/>).
/// </summary>
public sealed class TableWriter : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;
    private readonly object?[] _defaults;
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    public TableWriter(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        Table = table;
        var columns = new List<(string Name, string Type, bool NotNull, bool Pk)>();
        using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = $"PRAGMA table_info(\"{table}\")";
            using var reader = info.ExecuteReader();
            while (reader.Read())
                columns.Add((reader.GetString(1), reader.GetString(2).ToUpperInvariant(), reader.GetInt64(3) == 1, reader.GetInt64(5) > 0));
        }
        if (columns.Count == 0) throw new InvalidOperationException($"Table {table} is missing: is the database migrated?");
        // An INTEGER primary key alone is the rowid (autoincrement): SQLite numbers it.
        var autoKey = columns.Count(c => c.Pk) == 1 && columns.Single(c => c.Pk).Type == "INTEGER";
        var used = columns.Where(c => !(autoKey && c.Pk)).ToList();
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", used.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", used.Select((_, i) => $"$p{i}"))})";
        _parameters = new SqliteParameter[used.Count];
        _defaults = new object?[used.Count];
        for (var i = 0; i < used.Count; i++)
        {
            _parameters[i] = _command.Parameters.Add($"$p{i}", SqliteType.Text);
            _defaults[i] = used[i].NotNull ? NeutralValue(used[i].Type) : null;
            _index[used[i].Name] = i;
        }
        _command.Prepare();
        Reset();
    }

    public string Table { get; }

    public long Rows { get; private set; }

    /// <summary>Sets a column of the current row (ignored when the table has no such column any more).</summary>
    public TableWriter Set(string column, object? value)
    {
        if (_index.TryGetValue(column, out var i)) _parameters[i].Value = Store.Value(value);
        return this;
    }

    public bool Has(string column) => _index.ContainsKey(column);

    /// <summary>After the caller committed and began a new transaction.</summary>
    public void Rebind(SqliteTransaction transaction) => _command.Transaction = transaction;

    /// <summary>Inserts the current row, then resets every column to its neutral value.</summary>
    public void Insert()
    {
        _command.ExecuteNonQuery();
        Rows++;
        Reset();
    }

    private void Reset()
    {
        for (var i = 0; i < _parameters.Length; i++)
            _parameters[i].Value = _defaults[i] ?? DBNull.Value;
    }

    private static object NeutralValue(string type) => type switch
    {
        "INTEGER" => 0L,
        "REAL" => 0.0,
        "BLOB" => Array.Empty<byte>(),
        _ => "",
    };

    public void Dispose() => _command.Dispose();
}

/// <summary>
/// How EF Core stores values on SQLite in this model: Guid as upper-case TEXT, DateOnly as TEXT
/// yyyy-MM-dd, DateTimeOffset through the context's <see cref="DateTimeOffsetToBinaryConverter"/>
/// (PortalDbContext.ConfigureConventions), enums and bools as INTEGER, lists as JSON text.
/// </summary>
public static class Store
{
    private static readonly DateTimeOffsetToBinaryConverter Instant = new();

    public static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString().ToUpperInvariant(),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => (long)Instant.ConvertToProvider(t)!,
        bool b => b ? 1L : 0L,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        int i => (long)i,
        _ => value,
    };
}
