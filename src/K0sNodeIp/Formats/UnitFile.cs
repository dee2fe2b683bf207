namespace K0sNodeIp.Formats;

/// <summary>Reads the effective <c>ExecStart=</c> of a unit file's [Service] section, as systemd's parser would.</summary>
internal static class UnitFile
{
    /// <summary>The value of the last non-empty ExecStart= after the last empty one (which resets the list).</summary>
    /// <exception cref="TargetException">The unit has no ExecStart, or several that would all run.</exception>
    public static string ExecStart(string text, string unitPath)
    {
        var values = new List<string>();
        foreach (var value in ExecStartValues(text))
        {
            if (value.Length == 0)
            {
                values.Clear();
            }
            else
            {
                values.Add(value);
            }
        }

        return values.Count switch
        {
            0 => throw new TargetException($"{unitPath} has no ExecStart= in [Service]"),
            1 => values[0],
            _ => throw new TargetException($"{unitPath} has {values.Count} ExecStart= lines; a service with one command line is expected"),
        };
    }

    /// <summary>Every ExecStart= value of the [Service] section in order, empty ones (resets) included.</summary>
    public static IEnumerable<string> ExecStartValues(string text) => ServiceValues(text, "ExecStart").Select(v => v.Value);

    /// <summary>Every assignment of one of <paramref name="keys"/> in the [Service] section, in order, empty ones (resets) included.</summary>
    public static IEnumerable<(string Key, string Value)> ServiceValues(string text, params string[] keys) =>
        Entries(text).Where(e => e.Section == "[Service]" && e.IsAssignment && keys.Contains(e.Key, StringComparer.Ordinal)).Select(e => (e.Key, e.Value));

    /// <summary>
    /// Every line that is neither blank, a comment nor a section header, in order, with the section it is in: the one
    /// walk of a unit file's logical lines that its readers share.
    /// </summary>
    public static IEnumerable<UnitFileEntry> Entries(string text)
    {
        var section = string.Empty;
        foreach (var line in LogicalLines(text))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                section = trimmed;
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0
                ? new UnitFileEntry(section, trimmed, string.Empty, trimmed, IsAssignment: false)
                : new UnitFileEntry(section, trimmed[..equals].Trim(), trimmed[(equals + 1)..].Trim(), trimmed, IsAssignment: true);
        }
    }

    /// <summary>Lines with backslash continuations joined, as systemd joins them (the backslash becomes a space).</summary>
    internal static IEnumerable<string> LogicalLines(string text)
    {
        // One builder for the whole logical line: appending to a string copied it at every continuation (quadratic:
        // 80,000 continuation lines took 78 s).
        var pending = new System.Text.StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.AsSpan().TrimEnd('\r');
            if (line.EndsWith("\\") && !line.TrimStart().StartsWith("#"))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            yield return pending.Length == 0 ? line.ToString() : pending.Append(line).ToString();
            pending.Clear();
        }

        if (pending.Length > 0)
        {
            yield return pending.ToString();
        }
    }
}
