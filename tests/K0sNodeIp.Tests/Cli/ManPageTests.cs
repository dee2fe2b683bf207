using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Cli;

/// <summary>The man page as it is in the tree, before any package build.</summary>
public sealed class ManPageTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "packaging", "k0s-node-ip.8"));

    [Fact]
    public void Page_in_the_tree_has_its_configuration_section_as_the_generator_gives_it_from_the_readme()
    {
        var generated = ProcessRunner.Run(Path.Combine(Packages.RepositoryRoot, "packaging", "man-configuration")).Stdout;

        var begin = Page.IndexOf('\n', Page.IndexOf("@CONFIGURATION-BEGIN@", StringComparison.Ordinal));
        begin = Page.IndexOf('\n', begin + 1) + 1;
        var end = Page.IndexOf(".\\\" @CONFIGURATION-END@", StringComparison.Ordinal);

        Assert.StartsWith(".SH CONFIGURATION", generated, StringComparison.Ordinal);
        Assert.Equal(generated, Page[begin..end]);
    }

    [Fact]
    public void Page_stands_alone_on_a_node_without_the_readme()
    {
        // Issue 32: an installed node has no README, so the page sends nowhere and has what an operator needs there.
        var shown = string.Join('\n', Page.Split('\n').Where(l => !l.StartsWith(".\\\"", StringComparison.Ordinal)));
        Assert.DoesNotContain("README", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("see \"", shown, StringComparison.Ordinal);
        foreach (var section in (string[])["OPTIONS", "CONFIGURATION", "AGENT", "ROLLOUT", "METRICS", "FILES", "EXIT STATUS"])
        {
            Assert.Contains($"\n.SH {section}\n", Page, StringComparison.Ordinal);
        }

        // The rollout's commands are the README's, which ReadmeCommandsTests runs (the man page's source is roff).
        var text = Page.Replace("\\-", "-", StringComparison.Ordinal).Replace("\\e", "\\", StringComparison.Ordinal);
        var rollout = ReadmeCommands.Blocks("### Rolling out to a fleet: watch first, then enable group by group");
        foreach (var line in rollout[0].Concat(rollout[2]))
        {
            var command = line.Split(" #")[0].TrimEnd();
            Assert.Contains(command, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(".B \\-\\-reload")]
    [InlineData(".I /var/lib/k0s-node-ip/state.json")]
    [InlineData("may be absent; a file named here must exist")]
    public void Page_names_what_the_program_has(string line) => Assert.Contains(line, Page, StringComparison.Ordinal);
}
