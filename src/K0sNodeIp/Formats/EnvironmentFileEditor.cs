using System.Text;

namespace K0sNodeIp.Formats;

/// <summary>
/// Edits one variable of a systemd <c>EnvironmentFile=</c> (KEY=VALUE lines, quotes, backslash continuations)
/// while keeping every other byte of the file, line endings and a missing final newline included.
/// </summary>
internal static class EnvironmentFileEditor
{
    /// <summary>The value of the last assignment of <paramref name="name"/>, unquoted, or null when there is none.</summary>
    public static string? Read(string text, string name) => Find(text, name) is { } a ? a.Value : null;

    /// <summary>Replaces the value of the last assignment of <paramref name="name"/> with <paramref name="update"/>(old value), or appends one.</summary>
    public static string Update(string text, string name, Func<string, string> update)
    {
        if (Find(text, name) is not { } assignment)
        {
            var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            var separator = text.Length == 0 || text.EndsWith('\n') ? string.Empty : newline;

            // A last line ending in a backslash (even a comment, as systemd reads it) would swallow ours: close it.
            if (text.TrimEnd('\n').TrimEnd('\r').EndsWith('\\'))
            {
                separator += newline;
            }

            return text + separator + name + "=" + update(string.Empty) + newline;
        }

        var value = update(assignment.Value);
        var rendered = assignment.Quote switch
        {
            '"' => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            '\'' => "'" + value + "'",
            _ => value,
        };
        return text[..assignment.Start] + assignment.Key + "=" + rendered + assignment.LineEnd + text[assignment.End..];
    }

    private sealed record Assignment(int Start, int End, string Key, string Value, char Quote, string LineEnd);

    private static Assignment? Find(string text, string name)
    {
        Assignment? last = null;
        var position = 0;
        while (position < text.Length)
        {
            var start = position;

            // Gather one logical line: physical lines joined while they end in a backslash.
            var logical = new StringBuilder();
            string lineEnd;
            while (true)
            {
                var newline = text.IndexOf('\n', position);
                var end = newline < 0 ? text.Length : newline + 1;
                var line = text[position..end];
                lineEnd = line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : string.Empty;
                var body = line[..^lineEnd.Length];
                position = end;
                if (body.EndsWith('\\') && position < text.Length)
                {
                    logical.Append(body.AsSpan(0, body.Length - 1));
                    continue;
                }

                logical.Append(body);
                break;
            }

            var content = logical.ToString();
            // systemd's whitespace only (EnvironmentFile= is read by systemd): bytes 0x85 and 0xA0 of UTF-8 are no blank.
            var trimmed = content.TrimStart(UnitFile.Whitespace);
            if (trimmed.StartsWith('#') || trimmed.StartsWith(';'))
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || trimmed[..equals].Trim(UnitFile.Whitespace) != name)
            {
                continue;
            }

            var (value, quote) = Unquote(trimmed[(equals + 1)..]);
            var leading = content[..(content.Length - trimmed.Length)];
            last = new Assignment(start, position, leading + trimmed[..equals], value, quote, lineEnd);
        }

        return last;
    }

    private static (string Value, char Quote) Unquote(string raw)
    {
        var value = raw.Trim(UnitFile.Whitespace);
        if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
        {
            var inner = value[1..^1];
            return value[0] == '"'
                ? (inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal), '"')
                : (inner, '\'');
        }

        return (value, '\0');
    }
}
