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

    [Theory]
    [InlineData(".B \\-\\-reload")]
    [InlineData(".I /var/lib/k0s-node-ip/state.json")]
    [InlineData("may be absent; a file named here must exist")]
    public void Page_names_what_the_program_has(string line) => Assert.Contains(line, Page, StringComparison.Ordinal);
}
