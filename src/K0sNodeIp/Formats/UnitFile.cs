namespace K0sNodeIp.Formats;

/// <summary>Reads the effective <c>ExecStart=</c> of a unit file's [Service] section, as systemd's parser would.</summary>
internal static class UnitFile
{
    /// <summary>
    /// systemd's whitespace in unit files (WHITESPACE: space, tab, newline, carriage return). Not .NET's, which would take
    /// the bytes 0x85 and 0xA0 of a UTF-8 character read as Latin-1 (à is C3 A0) for a word break.
    /// </summary>
    internal static readonly char[] Whitespace = [' ', '\t', '\n', '\r'];

    /// <summary>The UTF-8 byte order mark as the Latin-1 text unit files are read into.</summary>
    private const string Latin1Bom = "\u00EF\u00BB\u00BF";

    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

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
            var trimmed = line.Trim(Whitespace);
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
                : new UnitFileEntry(section, trimmed[..equals].Trim(Whitespace), trimmed[(equals + 1)..].Trim(Whitespace), trimmed, IsAssignment: true);
        }
    }

    /// <summary>
    /// The logical lines as systemd's config parser reads them (src/shared/conf-parser.c): comment lines (# or ; after
    /// leading whitespace) are dropped, also inside a continuation, which goes on past them; a line that ends in an
    /// unescaped backslash continues on the next one, the backslash becoming a space (two backslashes are an escaped
    /// one, not a continuation); a blank line ends a continuation.
    /// </summary>
    internal static IEnumerable<string> LogicalLines(string text)
    {
        var bomSeen = false;
        // One builder for the whole logical line: appending to a string copied it at every continuation (quadratic:
        // 80,000 continuation lines took 78 s).
        var pending = new System.Text.StringBuilder();
        var continuing = false;
        foreach (var line in PhysicalLines(text))
        {
            var content = line.AsSpan().TrimStart(Whitespace.AsSpan());
            if (content.Length > 0 && content[0] is '#' or ';')
            {
                continue;
            }

            // systemd drops one UTF-8 byte order mark, at the start of the first line that has one.
            var part = line;
            if (!bomSeen && (part.StartsWith(Latin1Bom, StringComparison.Ordinal) || part.StartsWith('\uFEFF')))
            {
                part = part[(part[0] == '\uFEFF' ? 1 : Latin1Bom.Length)..];
                bomSeen = true;
            }

            pending.Append(part);
            continuing = true;
            if (EndsInEscape(part))
            {
                // The previous part ended in the space that replaced its backslash: the escape state starts afresh.
                pending[^1] = ' ';
                continue;
            }

            yield return pending.ToString();
            pending.Clear();
            continuing = false;
        }

        if (continuing)
        {
            yield return pending.ToString();
        }
    }

    /// <summary>
    /// The physical lines as systemd's read_line() splits them (src/basic/fileio.c): a line ends at \n, \r or NUL, and a
    /// run of them is one line end as long as no kind repeats (\r\n and \n\r are one; \r\r and \n\n end an empty line
    /// too); nothing follows a NUL in the same line end.
    /// </summary>
    internal static IEnumerable<string> PhysicalLines(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && text[i] is not ('\n' or '\r' or '\0'))
            {
                i++;
            }

            yield return text[start..i];
            var seen = 0;
            while (i < text.Length)
            {
                var kind = text[i] switch { '\0' => 1, '\n' => 2, '\r' => 4, _ => 0 };
                if (kind == 0 || (seen & kind) != 0 || (seen & 1) != 0)
                {
                    break;
                }

                seen |= kind;
                i++;
            }
        }
    }

    /// <summary>Whether the line ends in a backslash that escapes nothing after it (an odd run of them).</summary>
    private static bool EndsInEscape(string line)
    {
        var escaped = false;
        foreach (var c in line)
        {
            escaped = !escaped && c == '\\';
        }

        return escaped;
    }
}
