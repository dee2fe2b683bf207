namespace K0sNodeIp.Tests.Support;

/// <summary>The shell blocks of a README section, line by line as an operator pastes them.</summary>
public static class ReadmeCommands
{
    /// <summary>The ```sh blocks between <paramref name="heading"/> and the next heading of any level, each as its command lines (no blank or comment-only line).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Blocks(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(Packages.RepositoryRoot, "README.md"));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"README.md has no heading {heading}");
        var blocks = new List<IReadOnlyList<string>>();
        List<string>? block = null;
        var inCode = false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                // Every fence counts, so a "#" line inside another language's block is never taken for a heading.
                if (inCode && block is not null)
                {
                    blocks.Add(block);
                }

                block = !inCode && line == "```sh" ? [] : null;
                inCode = !inCode;
            }
            else if (!inCode && line.StartsWith('#'))
            {
                break;
            }
            else if (block is not null && line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'))
            {
                Assert.False(line.EndsWith('\\'), $"README line continues onto the next, which a line-by-line run cannot take: {line}");
                block.Add(line);
            }
        }

        return blocks;
    }

    /// <summary>Whether a shell glob (<c>*</c> only) matches a file name.</summary>
    public static bool GlobMatches(string glob, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^" + string.Join(".*", glob.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$");
}
