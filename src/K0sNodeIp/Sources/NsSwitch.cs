namespace K0sNodeIp.Sources;

/// <summary>
/// The <c>hosts:</c> line of /etc/nsswitch.conf as Go's <c>net</c> package parses it (nss.go): sources in order,
/// each with its <c>[STATUS=action]</c> criteria, which Go only checks for being the defaults.
/// </summary>
internal static class NsSwitch
{
    public const string DefaultPath = "/etc/nsswitch.conf";

    /// <summary>The sources of the hosts line; empty when the file has no such line (Go then assumes files, dns).</summary>
    public static IReadOnlyList<NsSource> HostsSources(TextReader reader)
    {
        IReadOnlyList<NsSource> found = [];
        while (reader.ReadLine() is { } raw)
        {
            var line = ConfigText.WithoutComment(raw).Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || line[..colon].Trim() != "hosts")
            {
                continue;
            }

            // As Go: a later hosts line replaces an earlier one.
            found = ParseSources(line[(colon + 1)..]);
        }

        return found;
    }

    /// <summary>The hosts line's module names, in order (files and dns when the line is absent).</summary>
    public static IReadOnlyList<string> HostsModules(TextReader? reader)
    {
        var sources = reader is null ? [] : HostsSources(reader);
        return sources.Count == 0 ? ["files", "dns"] : sources.Select(s => s.Name).ToArray();
    }

    private static List<NsSource> ParseSources(string text)
    {
        var sources = new List<NsSource>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                var inside = end < 0 ? text[(i + 1)..] : text[(i + 1)..end];
                i = end < 0 ? text.Length : end + 1;
                if (sources.Count > 0)
                {
                    var last = sources[^1];
                    sources[^1] = last with { Criteria = [.. last.Criteria, .. ParseCriteria(inside)] };
                }

                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '[')
            {
                i++;
            }

            sources.Add(new NsSource(text[start..i].ToLowerInvariant(), []));
        }

        return sources;
    }

    private static IEnumerable<NsCriterion> ParseCriteria(string text)
    {
        foreach (var item in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = item.StartsWith('!');
            var body = negate ? item[1..] : item;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                yield return new NsCriterion(negate, body[..equals].ToLowerInvariant(), body[(equals + 1)..].ToLowerInvariant());
            }
        }
    }
}
