using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Architecture;

/// <summary>
/// The folders show the flow, and dependencies point one way: plain node data (Node) at the bottom with the native
/// plumbing (Native), the I/O that fills it (Sources) above, the pure policy and the targets beside it never reaching
/// into Sources, and the command line on top, with nothing reaching up to it. Read from the using directives.
/// </summary>
public sealed partial class DependencyRulesTests
{
    [Theory]
    [InlineData("Policy", "Sources")]
    [InlineData("Targets", "Sources")]
    [InlineData("Reload", "Sources")]
    [InlineData("Watch", "Sources")]
    [InlineData("Agent", "Cli")]
    [InlineData("Detection", "Cli")]
    [InlineData("Capture", "Cli")]
    [InlineData("Capture", "Agent")]
    [InlineData("Node", "Sources")]
    [InlineData("Node", "Policy")]
    [InlineData("Node", "Targets")]
    [InlineData("Node", "Agent")]
    [InlineData("Native", "Sources")]
    [InlineData("Native", "Policy")]
    [InlineData("Native", "Agent")]
    [InlineData("Native", "Cli")]
    public void Folder_does_not_depend_on(string folder, string forbidden)
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Packages.RepositoryRoot, "src", "K0sNodeIp", folder), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var usings = UsingDirective().Matches(text).Select(m => m.Groups["namespace"].Value);
            // A using directive, or a qualified name (K0sNodeIp.Cli.X, or Cli.X from inside the K0sNodeIp namespace).
            if (usings.Any(n => n == $"K0sNodeIp.{forbidden}" || n.StartsWith($"K0sNodeIp.{forbidden}.", StringComparison.Ordinal))
                || text.Contains($"K0sNodeIp.{forbidden}.", StringComparison.Ordinal)
                || Regex.IsMatch(text, $@"(?<![\w.]){forbidden}\.[A-Z]"))
            {
                offenders.Add(Path.GetRelativePath(Packages.RepositoryRoot, file));
            }
        }

        Assert.True(offenders.Count == 0, $"{folder} must not use K0sNodeIp.{forbidden}: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void The_rule_reader_sees_a_using_directive()
    {
        // Guards the test itself: a rule that never matches anything would pass for the wrong reason.
        Assert.Equal("K0sNodeIp.Sources", UsingDirective().Match("using K0sNodeIp.Sources;\n").Groups["namespace"].Value);
        Assert.Equal("K0sNodeIp.Native.Netlink", UsingDirective().Match("using static K0sNodeIp.Native.Netlink.NetlinkConstants;\n").Groups["namespace"].Value.Replace(".NetlinkConstants", string.Empty, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^using\s+(?:static\s+)?(?<namespace>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
