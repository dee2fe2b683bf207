using System.Text;

namespace K0sNodeIp.Agent;

/// <summary>A small unified-style line diff for --dry-run (files here are a few lines to a few hundred).</summary>
public static class LineDiff
{
    public static string Render(string path, string? before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);

        // Longest common subsequence table; fine for the sizes of these files.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var text = new StringBuilder();
        text.Append("--- ").AppendLine(before is null ? "/dev/null" : path);
        text.Append("+++ ").AppendLine(path);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                text.Append(' ').AppendLine(a[x]);
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                text.Append('+').AppendLine(b[y++]);
            }
            else
            {
                text.Append('-').AppendLine(a[x++]);
            }
        }

        return text.ToString();
    }

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.TrimEnd('\n').Split('\n');
}
