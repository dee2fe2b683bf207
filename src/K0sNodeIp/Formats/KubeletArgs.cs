namespace K0sNodeIp.Formats;

/// <summary>
/// Merges <c>--node-ip=...</c> into a kubelet argument string, keeping every other flag in place. Both
/// <c>--node-ip=X</c> and <c>--node-ip X</c> are replaced; the new flag is one token, as k0s splits the
/// value on white space into <c>--flag=value</c> tokens.
/// </summary>
internal static class KubeletArgs
{
    public const string NodeIpFlag = "--node-ip";

    public static string Merge(string arguments, string nodeIpFlag)
    {
        var tokens = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var at = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].StartsWith(NodeIpFlag + "=", StringComparison.Ordinal) || tokens[i] == NodeIpFlag)
            {
                var count = tokens[i] == NodeIpFlag && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-') ? 2 : 1;
                tokens.RemoveRange(i, count);
                if (at < 0)
                {
                    at = i;
                }

                i--;
            }
        }

        tokens.Insert(at < 0 ? tokens.Count : at, nodeIpFlag);
        return string.Join(' ', tokens);
    }

    /// <summary>The value of the last --node-ip in the arguments, or null.</summary>
    public static string? NodeIp(string arguments) =>
        LastFlagValue(arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), [NodeIpFlag], separateValueConsumed: false);

    /// <summary>
    /// Where the last value of a flag sits among command-line words: in <c>--flag=value</c> (that word, after
    /// <c>Prefix</c>) or in <c>--flag value</c> (the next word, empty prefix); null when the flag is not there.
    /// The one reading of "the last --flag" for kubelet's, k0s's and systemd's command lines.
    /// </summary>
    /// <param name="names">The flag's names, e.g. <c>--config</c> and <c>-c</c>.</param>
    /// <param name="from">The first word looked at (1 skips argv[0]).</param>
    /// <param name="stopAtDoubleDash">A bare <c>--</c> ends the flags, as in pflag.</param>
    /// <param name="separateValueConsumed">The word after a bare flag is its value and not read as a flag itself (pflag); false: it is read again.</param>
    public static (int Index, string Prefix)? LastFlag(
        IReadOnlyList<string> words, ReadOnlySpan<string> names, int from = 0, bool stopAtDoubleDash = false, bool separateValueConsumed = true)
    {
        (int, string)? found = null;
        for (var i = from; i < words.Count; i++)
        {
            var word = words[i];
            if (stopAtDoubleDash && word == "--")
            {
                break;
            }

            foreach (var name in names)
            {
                if (word == name && i + 1 < words.Count)
                {
                    found = (i + 1, string.Empty);
                    i += separateValueConsumed ? 1 : 0;
                    break;
                }

                if (word.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    found = (i, name + "=");
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The last value of a flag among command-line words (<see cref="LastFlag"/>), or null.</summary>
    public static string? LastFlagValue(
        IReadOnlyList<string> words, ReadOnlySpan<string> names, int from = 0, bool stopAtDoubleDash = false, bool separateValueConsumed = true) =>
        LastFlag(words, names, from, stopAtDoubleDash, separateValueConsumed) is { } at ? words[at.Index][at.Prefix.Length..] : null;
}
