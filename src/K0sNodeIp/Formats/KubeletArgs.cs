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
    public static string? NodeIp(string arguments)
    {
        string? found = null;
        var tokens = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].StartsWith(NodeIpFlag + "=", StringComparison.Ordinal))
            {
                found = tokens[i][(NodeIpFlag.Length + 1)..];
            }
            else if (tokens[i] == NodeIpFlag && i + 1 < tokens.Length)
            {
                found = tokens[i + 1];
            }
        }

        return found;
    }
}
