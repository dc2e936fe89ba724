using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #15 (6): axe-core, from npm, run in a page of the portal. test.sh fetches the pinned version once into the
/// git-ignored <c>tests/Portal.E2E.Tests/.axe/</c>; <c>AXE_CORE_PATH</c> points to another <c>axe.min.js</c>.
/// </summary>
public static class Axe
{
    public const string PathVariable = "AXE_CORE_PATH";

    /// <summary>The rules the scan checks (issue #15): WCAG 2 levels A and AA.</summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa"];

    private static readonly Lazy<string> Source = new(() =>
    {
        var path = ScriptPath();
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"axe-core is missing ({path}): run ./test.sh once (it fetches the pinned axe-core from npm into tests/Portal.E2E.Tests/.axe/), " +
                $"or set {PathVariable} to an axe.min.js.", path);
        return File.ReadAllText(path);
    });

    /// <summary>Where the scan expects axe-core: <c>AXE_CORE_PATH</c>, else the folder test.sh fills in the repository.</summary>
    public static string ScriptPath()
    {
        var overridden = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return overridden;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln"))) directory = directory.Parent;
        var root = directory?.FullName ?? AppContext.BaseDirectory;
        return Path.Combine(root, "tests", "Portal.E2E.Tests", ".axe", "axe.min.js");
    }

    /// <summary>
    /// Runs axe on the page as it is now and returns its violations. The portal's Content-Security-Policy allows no inline
    /// script, so axe is not added as a &lt;script&gt; tag (Playwright's AddScriptTagAsync with its content writes an inline
    /// script, which the CSP blocks): its source is evaluated through the DevTools protocol (EvaluateAsync), which the
    /// page's CSP does not apply to, and only once per document (an enhanced navigation keeps the window and its axe).
    /// </summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page, string[]? tags = null)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value);
        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const options = { resultTypes: ['violations'] };
              if (tags) options.runOnly = { type: 'tag', values: tags };
              const results = await axe.run(document, options);
              return JSON.stringify(results.violations.map(v => ({
                id: v.id, impact: v.impact || '', help: v.help,
                nodes: v.nodes.map(n => ({
                  target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
                  html: n.html.length > 160 ? n.html.slice(0, 160) + '…' : n.html,
                  summary: n.failureSummary || '' })) })));
            }
            """, tags);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public static bool IsSeriousOrCritical(this AxeViolation violation) => violation.Impact is "serious" or "critical";

    /// <summary>One line per violation and node: the screen, the rule, its impact and the element's selector.</summary>
    public static string Describe(string screen, IEnumerable<AxeViolation> violations)
    {
        var text = new StringBuilder();
        foreach (var v in violations)
            foreach (var node in v.Nodes)
                text.AppendLine($"{screen}: {v.Id} ({v.Impact}) {v.Help} → {node.Target}  {node.Html}  [{string.Join(" ", node.Summary.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}]");
        return text.ToString();
    }
}

public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<AxeNode> Nodes);

public sealed record AxeNode(string Target, string Html, string Summary);
