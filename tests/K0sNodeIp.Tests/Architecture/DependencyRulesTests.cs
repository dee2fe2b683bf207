using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Architecture;

/// <summary>
/// The folders of src/K0sNodeIp in the one direction their dependencies may point (README, Layout): a folder uses only
/// folders before it in <see cref="Layers"/>. Read from the using directives and qualified names, as a reader of the
/// code would follow them. An edge against the order, or a new folder not placed in it, fails.
/// </summary>
public sealed partial class DependencyRulesTests
{
    /// <summary>Bottom first: plain data, the grammars, the pure policy and targets, the reads, then the stages that use them, the modes on top.</summary>
    public static readonly string[] Layers =
    [
        "Node", "Native", "Formats", "Policy", "Targets", "Sources", "Configuration", "Apply", "Watch", "Detection",
        "Capture", "Reload", "Agent", "Check", "Metrics", "Report", "Cli", "Modes",
    ];

    private static string SourceRoot => Path.Combine(Packages.RepositoryRoot, "src", "K0sNodeIp");

    [Fact]
    public void Every_folder_has_its_place_in_the_order()
    {
        var folders = Directory.EnumerateDirectories(SourceRoot).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Layers.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void Folders_use_only_folders_below_them()
    {
        var offenders = Edges()
            .Where(e => Array.IndexOf(Layers, e.To) >= Array.IndexOf(Layers, e.From))
            .Select(e => $"{e.From} -> {e.To} ({e.File})")
            .ToList();
        Assert.True(offenders.Count == 0, "edges against the order:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_folder_graph_has_no_cycle()
    {
        // Implied by the order, and checked on its own so that a reordering of Layers cannot hide one.
        var graph = Edges().GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToHashSet());
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"cycle between folders: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void Every_file_declares_its_folder_s_namespace()
    {
        // A file in Targets/ declaring K0sNodeIp.Agent would make Agent's types usable there without a using.
        var offenders = Layers.Where(f => Directory.Exists(Path.Combine(SourceRoot, f)))
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(SourceRoot, f), "*.cs", SearchOption.AllDirectories)
                .Where(file => !File.ReadAllText(file).Contains($"namespace K0sNodeIp.{Path.GetRelativePath(SourceRoot, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.')};", StringComparison.Ordinal))
                .Select(file => Path.GetRelativePath(SourceRoot, file)))
            .ToList();
        Assert.True(offenders.Count == 0, $"not in their folder's namespace: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Files_outside_the_folders_use_none_of_them_except_the_entry_point()
    {
        // The root namespace is visible from every folder: anything there must depend on nothing above it.
        var offenders = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.TopDirectoryOnly)
            .Where(file => Path.GetFileName(file) != "Program.cs")
            .Where(file => Uses(File.ReadAllText(file), string.Empty).Count > 0)
            .Select(Path.GetFileName)
            .ToList();
        Assert.True(offenders.Count == 0, $"root files that use a folder: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void No_global_using_of_a_folder()
    {
        // A global using applies to every folder at once and would hide its edges from the rules above.
        var offenders = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => GlobalUsing().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(SourceRoot, file))
            .Concat(File.ReadAllText(Path.Combine(SourceRoot, "K0sNodeIp.csproj")).Contains("<Using Include=\"K0sNodeIp", StringComparison.Ordinal) ? ["K0sNodeIp.csproj"] : [])
            .ToList();
        Assert.True(offenders.Count == 0, $"global usings of K0sNodeIp folders: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void The_rule_reader_sees_a_using_directive_and_a_qualified_name()
    {
        // Guards the test itself: a rule that never matches anything would pass for the wrong reason.
        Assert.Equal(["Sources"], Uses("using K0sNodeIp.Sources;\n", "Policy"));
        Assert.Equal(["Native"], Uses("using static K0sNodeIp.Native.Libc;\n", "Policy"));
        Assert.Equal(["Agent"], Uses("var x = Agent.Reconciler.Create();\n", "Policy"));
        Assert.Empty(Uses("// Agent.Reconciler in a comment\nvar text = \"no\";\n", "Policy"));
        Assert.Equal(["Agent"], Uses("using A = K0sNodeIp.Agent;\n", "Policy"));
        Assert.Equal(["Agent"], Uses("var url = \"http://example\"; var r = Agent.Reconciler.Create();\n", "Policy"));
        Assert.Equal(["Agent", "Policy"], FindCycle(new() { ["Agent"] = ["Policy"], ["Policy"] = ["Agent"] })!.Take(2).Order(StringComparer.Ordinal));
    }

    private static List<(string From, string To, string File)> Edges()
    {
        var edges = new List<(string, string, string)>();
        foreach (var folder in Layers)
        {
            var directory = Path.Combine(SourceRoot, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
            {
                foreach (var used in Uses(File.ReadAllText(file), folder))
                {
                    edges.Add((folder, used, Path.GetRelativePath(SourceRoot, file)));
                }
            }
        }

        return edges;
    }

    /// <summary>The other folders a file uses: a using directive, or a qualified name (K0sNodeIp.Agent.X, or Agent.X from inside K0sNodeIp).</summary>
    private static List<string> Uses(string text, string ownFolder)
    {
        // A comment starts at a "//" outside a string literal (an even number of quotes before it on the line).
        var code = string.Join('\n', text.Split('\n').Select(StripComment));
        var usings = UsingDirective().Matches(code).Select(m => m.Groups["namespace"].Value).ToList();
        return Layers.Where(other => other != ownFolder
                && (usings.Any(n => n == $"K0sNodeIp.{other}" || n.StartsWith($"K0sNodeIp.{other}.", StringComparison.Ordinal))
                    || code.Contains($"K0sNodeIp.{other}.", StringComparison.Ordinal)
                    || Regex.IsMatch(code, $@"(?<![\w.""]){other}\.[A-Z]")))
            .ToList();
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                return [.. path.Skip(at), node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string StripComment(string line)
    {
        for (var at = line.IndexOf("//", StringComparison.Ordinal); at >= 0; at = line.IndexOf("//", at + 2, StringComparison.Ordinal))
        {
            if (line[..at].Count(c => c == '"') % 2 == 0)
            {
                return line[..at];
            }
        }

        return line;
    }

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?(?<namespace>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^\s*global\s+using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?K0sNodeIp\.", RegexOptions.Multiline)]
    private static partial Regex GlobalUsing();
}
