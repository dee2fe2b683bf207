using System.Globalization;
using System.Text;

namespace K0sNodeIp.Report;

/// <summary>
/// Text output for a terminal: what came from a file (a received snapshot's hostname, interface names, errors) may hold
/// control characters, and written raw an escape sequence would act on the reader's terminal. Each one but the line
/// break is shown as <c>\xNN</c> (C0, DEL) or <c>\u00NN</c> (C1) instead; a backslash stays a backslash.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text)
    {
        if (!text.Any(IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsControl(c))
            {
                escaped.Append(c);
            }
            else if (c < 0x80)
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return escaped.ToString();
    }

    private static bool IsControl(char c) => c != '\n' && char.IsControl(c);
}
