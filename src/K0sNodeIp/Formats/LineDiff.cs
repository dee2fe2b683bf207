using System.Text;

namespace K0sNodeIp.Formats;

/// <summary>A small unified-style line diff for --dry-run (files here are a few lines to a few hundred).</summary>
internal static class LineDiff
{
    /// <summary>Above this many cells the middle part is shown as removed-then-added instead of aligned.</summary>
    private const long MaxTableCells = 1_000_000;

    /// <summary>The non-blank lines of <paramref name="before"/> that <paramref name="after"/> does not have (as many times as they were lost), trimmed.</summary>
    public static IReadOnlyList<string> Removed(string? before, string after)
    {
        var kept = Lines(after).Select(l => l.Trim()).GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var line in Lines(before).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (kept.TryGetValue(line, out var left) && left > 0)
            {
                kept[line] = left - 1;
            }
            else
            {
                removed.Add(line);
            }
        }

        return removed;
    }

    public static string Render(string path, string? before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var text = new StringBuilder();
        text.Append("--- ").AppendLine(before is null ? "/dev/null" : path);
        text.Append("+++ ").AppendLine(path);

        // A node-IP change touches a line or two of files that may be large: drop the common ends first.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        const int Context = 3;
        if (prefix > Context)
        {
            text.Append("@@ ").Append(prefix - Context).AppendLine(" unchanged lines @@");
        }

        for (var i = Math.Max(0, prefix - Context); i < prefix; i++)
        {
            text.Append(' ').AppendLine(a[i]);
        }

        Middle(a[prefix..^suffix], b[prefix..^suffix], text);
        for (var i = a.Length - suffix; i < Math.Min(a.Length, a.Length - suffix + Context); i++)
        {
            text.Append(' ').AppendLine(a[i]);
        }

        if (suffix > Context)
        {
            text.Append("@@ ").Append(suffix - Context).AppendLine(" unchanged lines @@");
        }

        // The contents are bytes as Latin-1 chars (FileText.Bytes); shown as the UTF-8 text they are.
        return Encoding.UTF8.GetString(FileText.Bytes.GetBytes(text.ToString()));
    }

    private static void Middle(string[] a, string[] b, StringBuilder text)
    {
        if ((long)(a.Length + 1) * (b.Length + 1) > MaxTableCells)
        {
            foreach (var line in a)
            {
                text.Append('-').AppendLine(line);
            }

            foreach (var line in b)
            {
                text.Append('+').AppendLine(line);
            }

            return;
        }

        // Longest common subsequence of what is left.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                text.Append(' ').AppendLine(a[x]);
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                text.Append('-').AppendLine(a[x++]);
            }
            else
            {
                text.Append('+').AppendLine(b[y++]);
            }
        }
    }

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.TrimEnd('\n').Split('\n');
}
