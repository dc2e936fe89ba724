using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application;
using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Web.Cli;

/// <summary>
/// The portal's executable as a command line: <c>import-lheo FILE</c> and <c>export-lheo FILE</c> work on the
/// configured database (same settings as the web app: appsettings, environment variables, and any
/// <c>--Section:Key=value</c> after the file). A missing database is created and migrated, with the reference
/// data (communes, ROME codes) but never the demo dataset: a command must not add demo accounts to a database.
/// Exit code 0 on success (French summary on stdout), 1 with the reason on stderr, 2 for a usage error.
/// </summary>
public static class LheoCommands
{
    public const string Import = "import-lheo";
    public const string Export = "export-lheo";

    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is Import or Export;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"Usage : {Import} FICHIER | {Export} FICHIER [--Section:Clé=valeur ...]");
            return Usage;
        }
        var (command, path) = (args[0], ResolvePath(args[1]));
        if (command == Import && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"Fichier introuvable : {path}");
            return Failure;
        }

        try
        {
            await using var services = CliServices.Build(args[2..]);
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            return command == Import
                ? await ImportAsync(services, path, stdout, cancellationToken)
                : await ExportAsync(services, path, stdout, cancellationToken);
        }
        catch (LheoFormatException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"Fichier inaccessible : {ex.Message}");
            return Failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"Erreur technique, rien n'a été modifié : {ex.Message}");
            return Failure;
        }
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string path, TextWriter stdout, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var result = await services.GetRequiredService<ImportLheo.Handler>().HandleAsSystemAsync(new ImportLheo(file), cancellationToken: cancellationToken);
        await stdout.WriteLineAsync(result.Summary);
        foreach (var warning in result.Warnings) await stdout.WriteLineAsync($"Avertissement : {warning}");
        return Success;
    }

    private static async Task<int> ExportAsync(IServiceProvider services, string path, TextWriter stdout, CancellationToken cancellationToken)
    {
        // Written in memory first: a refused export leaves no half-written file behind.
        using var buffer = new MemoryStream();
        var result = await services.GetRequiredService<ExportLheo.Handler>().HandleAsync(new ExportLheo(buffer), cancellationToken);
        await File.WriteAllBytesAsync(path, buffer.ToArray(), cancellationToken);
        await stdout.WriteLineAsync($"{result.Summary} Fichier : {path}");
        return Success;
    }

    /// <summary>
    /// A relative path is taken from the directory the command was typed in: <c>dotnet run --project</c> starts the
    /// app in the project's folder, but keeps the shell's <c>PWD</c>.
    /// </summary>
    internal static string ResolvePath(string path)
    {
        if (Path.IsPathRooted(path)) return Path.GetFullPath(path);
        var shell = Environment.GetEnvironmentVariable("PWD");
        return Path.GetFullPath(path, shell is { Length: > 0 } && Directory.Exists(shell) ? shell : Directory.GetCurrentDirectory());
    }
}
