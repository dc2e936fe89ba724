using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Benchmarks;

/// <summary>
/// Records the SQL statements EF sends for a handler call (text and parameter values), so that the
/// "floor" replays exactly the queries the page's handler runs, through plain ADO.NET, reading every
/// column of every row: what the database costs without EF materialisation, Blazor rendering or HTTP.
/// </summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> _commands = [];

    public bool Recording { get; set; }

    public IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> Commands => _commands;

    public void Clear() => _commands.Clear();

    private void Record(DbCommand command)
    {
        if (!Recording) return;
        lock (_commands)
            _commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>Replays the recorded statements on one open connection; returns the time (ms) and the rows read.</summary>
    public static (double Milliseconds, long Rows) Replay(DbConnection connection, IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> commands)
    {
        var watch = Stopwatch.StartNew();
        long rows = 0;
        foreach (var (sql, parameters) in commands)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            using var reader = command.ExecuteReader();
            var values = new object[reader.FieldCount];
            do
            {
                while (reader.Read())
                {
                    reader.GetValues(values);
                    rows++;
                }
            }
            while (reader.NextResult());
        }
        return (watch.Elapsed.TotalMilliseconds, rows);
    }
}
