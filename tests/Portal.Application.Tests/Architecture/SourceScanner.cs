using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Application.Tests.Architecture;

/// <summary>
/// Reads C# source text well enough for the architecture tests: blanks comments and string/char literals (so braces
/// inside them do not count), then attributes each match of a pattern to the type declared around it
/// ("GetCandidate.Handler", "AccessScope"). Not a compiler: enough for code written in this repository's style.
/// </summary>
internal static partial class SourceScanner
{
    /// <summary>The repository root: the first parent of the test's base directory that holds Portal.sln.</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir;
        throw new InvalidOperationException($"Portal.sln not found above {AppContext.BaseDirectory}");
    }

    public sealed record Use(string File, int Line, string Type, string Name);

    /// <summary>Every match of <paramref name="pattern"/>'s group "name" in <paramref name="source"/>, with its enclosing type.</summary>
    public static IEnumerable<Use> Find(string file, string source, Regex pattern)
    {
        var code = Blank(source);
        var types = TypeSpans(code);
        foreach (Match m in pattern.Matches(code))
        {
            var enclosing = types.Where(t => t.Start <= m.Index && m.Index < t.End).OrderByDescending(t => t.Start).FirstOrDefault();
            var line = 1 + code.AsSpan(0, m.Index).Count('\n');
            yield return new Use(file, line, enclosing?.Name ?? "<top level>", m.Groups["name"].Value);
        }
    }

    private sealed record TypeSpan(string Name, int Start, int End);

    [GeneratedRegex(@"\b(?:class|record|struct|interface)\s+(?:(?:class|struct)\s+)?(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    /// <summary>Each type declaration with a body, named with its enclosing types ("Outer.Inner"); the span is its braces.</summary>
    private static List<TypeSpan> TypeSpans(string code)
    {
        var declarations = TypeDeclaration().Matches(code).ToDictionary(m => m.Index, m => m.Groups["name"].Value);
        var spans = new List<TypeSpan>();
        var open = new Stack<(string? Name, int Start)>(); // one entry per '{'; Name set when the brace opens a type body
        string? pending = null;
        var parens = 0;
        for (var i = 0; i < code.Length; i++)
        {
            if (declarations.TryGetValue(i, out var declared)) { pending = declared; parens = 0; }
            switch (code[i])
            {
                case '(': parens++; break;
                case ')': parens--; break;
                case ';' when pending is not null && parens == 0: pending = null; break; // "record R(...);": no body
                case '{':
                    if (pending is not null && parens == 0)
                    {
                        var outer = open.Where(o => o.Name is not null).Select(o => o.Name).FirstOrDefault();
                        open.Push((outer is null ? pending : outer + "." + pending, i));
                        pending = null;
                    }
                    else open.Push((null, i));
                    break;
                case '}':
                    if (open.Count == 0) break;
                    var (name, start) = open.Pop();
                    if (name is not null) spans.Add(new TypeSpan(name, start, i));
                    break;
            }
        }
        return spans;
    }

    /// <summary>The source with comments and string/char literals replaced by spaces (newlines kept, so line numbers hold).</summary>
    public static string Blank(string s)
    {
        var b = new StringBuilder(s);
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/') { i = BlankUntil(b, s, i, s.IndexOf('\n', i) is var e and >= 0 ? e : s.Length); continue; }
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*') { i = BlankUntil(b, s, i, s.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e and >= 0 ? e + 2 : s.Length); continue; }
            if (s[i] == '\'' ) { i = BlankUntil(b, s, i, EndOfQuoted(s, i + 1, '\'', verbatim: false)); continue; }
            if (s[i] == '"' || (s[i] is '$' or '@' && NextQuote(s, i) is >= 0))
            {
                var quote = s[i] == '"' ? i : NextQuote(s, i);
                var prefix = s.AsSpan(i, quote - i);
                var quotes = 0;
                while (quote + quotes < s.Length && s[quote + quotes] == '"') quotes++;
                int end;
                if (quotes >= 3) end = s.IndexOf(new string('"', quotes), quote + quotes, StringComparison.Ordinal) is var e and >= 0 ? e + quotes : s.Length;
                else if (quotes == 2) end = quote + 2; // ""
                else end = EndOfQuoted(s, quote + 1, '"', verbatim: prefix.Contains('@'));
                i = BlankUntil(b, s, i, end);
                continue;
            }
            i++;
        }
        return b.ToString();
    }

    /// <summary>For "$\"", "@\"", "$@\"", "@$\"" and "$$\"\"\"": the index of the first quote, else -1.</summary>
    private static int NextQuote(string s, int i)
    {
        var j = i;
        while (j < s.Length && s[j] is '$' or '@') j++;
        return j > i && j < s.Length && s[j] == '"' && (i == 0 || !char.IsLetterOrDigit(s[i - 1])) ? j : -1;
    }

    private static int EndOfQuoted(string s, int i, char quote, bool verbatim)
    {
        while (i < s.Length)
        {
            if (!verbatim && s[i] == '\\') { i += 2; continue; }
            if (s[i] == quote)
            {
                if (verbatim && i + 1 < s.Length && s[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            if (!verbatim && s[i] == '\n') return i; // unterminated: stop at the line's end
            i++;
        }
        return s.Length;
    }

    private static int BlankUntil(StringBuilder b, string s, int from, int to)
    {
        for (var k = from; k < to && k < s.Length; k++) if (s[k] != '\n') b[k] = ' ';
        return Math.Max(to, from + 1);
    }
}
