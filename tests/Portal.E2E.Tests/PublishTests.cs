using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.E2E.Tests;

/// <summary>The `dotnet publish` output runs on its own and serves the brand assets under /assets (issue #2, item 8).</summary>
public sealed class PublishTests
{
    [Fact]
    public async Task PublishedApp_Starts_AndServesAssetsAndBlazorScripts()
    {
        var root = RepoRoot();
        var output = Path.Combine(Path.GetTempPath(), $"portal-publish-{Guid.NewGuid():N}");
        var data = Path.Combine(Path.GetTempPath(), $"portal-publish-data-{Guid.NewGuid():N}");
        try
        {
            // The solution is already built in the test run's configuration: publishing that build
            // (--no-build) checks the same publish layout in seconds instead of a Release rebuild of
            // every project (100 s of the 2-core CI run).
            var publish = await RunAsync("dotnet", $"publish \"{Path.Combine(root, "src", "Portal.Web")}\" -c {BuildConfiguration} --no-build -o \"{output}\" --nologo -v q", root, TimeSpan.FromMinutes(5));
            publish.ShouldBe(0, "dotnet publish succeeds");
            File.Exists(Path.Combine(output, "brand-assets", "logo.svg")).ShouldBeTrue("the brand assets are in the publish output");

            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", $"Portal.Web.dll --urls http://127.0.0.1:{port}")
            {
                WorkingDirectory = output,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Portal__DataDirectory"] = data;
            start.Environment["Portal__SeedDemoData"] = "false";
            start.Environment["Portal__JobsEnabled"] = "false";
            using var app = Process.Start(start)!;
            app.BeginOutputReadLine();
            app.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
                await WaitUntilUpAsync(http);
                var logo = await http.GetAsync("/assets/logo.svg", TestContext.Current.CancellationToken);
                logo.StatusCode.ShouldBe(HttpStatusCode.OK);
                logo.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
                (await http.GetAsync("/_framework/blazor.web.js", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
                var home = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
                var mud = System.Text.RegularExpressions.Regex.Match(home, "_content/MudBlazor/MudBlazor\\.min(\\.[a-z0-9]+)?\\.css");
                mud.Success.ShouldBeTrue();
                (await http.GetAsync("/" + mud.Value, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
            finally
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            foreach (var dir in new[] { output, data })
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
            }
        }
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or busy starting: try again.
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The published portal did not answer /health within 120 s.");
    }

    private static async Task<int> RunAsync(string file, string args, string cwd, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0) TestContext.Current.SendDiagnosticMessage(await stdout + await stderr);
        return process.ExitCode;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test output.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
