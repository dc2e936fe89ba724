using System.Runtime.CompilerServices;
using Portal.Application.Abstractions;

namespace Portal.Application.Tests.Architecture;

/// <summary>
/// ADR 0021: Portal.Application runs unchanged on SQLite and PostgreSQL. It references neither provider and holds no
/// raw SQL: the statements LINQ cannot say live in the infrastructure, one implementation per dialect (IDialectQueries).
/// </summary>
public sealed class ProviderNeutralityTests
{
    private static string SourceFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "src", "Portal.Application"));

    [Fact]
    public void PortalApplication_ReferencesNeitherSqliteNorNpgsql()
    {
        var referenced = typeof(IAppDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        referenced.ShouldContain("Microsoft.EntityFrameworkCore"); // the check reads real references
        referenced.Where(n => n.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || n.Contains("Npgsql", StringComparison.OrdinalIgnoreCase))
            .ShouldBeEmpty();
    }

    [Fact]
    public void PortalApplication_SourceHoldsNoRawSql_NorProviderNamespace()
    {
        var folder = SourceFolder();
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        files.Count.ShouldBeGreaterThan(50); // the scan sees the project
        string[] forbidden = ["SqlQuery", "ExecuteSql", "FromSql", "using Microsoft.Data.Sqlite", "using Npgsql", "SqliteException", "PostgresException"];
        var offences = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => forbidden.Any(word => x.line.Contains(word, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(folder, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        offences.ShouldBeEmpty();
    }
}
