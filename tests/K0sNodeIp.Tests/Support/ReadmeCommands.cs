namespace K0sNodeIp.Tests.Support;

/// <summary>The shell blocks of a README section, line by line as an operator pastes them.</summary>
public static class ReadmeCommands
{
    /// <summary>The ```sh blocks between <paramref name="heading"/> and the next heading of any level, each as its non-empty lines.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Blocks(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(Packages.RepositoryRoot, "README.md"));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"README.md has no heading {heading}");
        var blocks = new List<IReadOnlyList<string>>();
        List<string>? block = null;
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (block is null && line.StartsWith('#'))
            {
                break;
            }

            if (line == "```sh")
            {
                block = [];
            }
            else if (line == "```" && block is not null)
            {
                blocks.Add(block);
                block = null;
            }
            else if (block is not null && line.Trim().Length > 0)
            {
                block.Add(line);
            }
        }

        return blocks;
    }

    /// <summary>Whether a shell glob (<c>*</c> only) matches a file name.</summary>
    public static bool GlobMatches(string glob, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^" + string.Join(".*", glob.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$");
}
