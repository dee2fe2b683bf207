using System.Globalization;
using System.Text;

namespace K0sNodeIp.Formats;

/// <summary>
/// Text the agent did not write itself (from a snapshot, a config or unit file, DNS, an interface name) made safe to
/// print or log: control characters (C0, DEL, C1: a terminal's escape sequences, OSC 52 clipboard writes, screen
/// clears), bidirectional overrides and lone surrogates are shown as <c>\xNN</c> (C0, DEL) or <c>\uNNNN</c> (the rest);
/// a backslash stays a backslash. So a hostile value
/// cannot drive the terminal, split a journal record, or add an assignment to an sd_notify message. The one helper
/// for stdout, stderr, the journal and <c>STATUS=</c>.
/// </summary>
internal static class OutsideText
{
    /// <summary>
    /// <paramref name="text"/> with every unsafe character escaped; <paramref name="keepLineBreaks"/> keeps \n (a whole
    /// page of output keeps its lines).
    /// </summary>
    public static string Escape(string text, bool keepLineBreaks = false)
    {
        var first = FirstUnsafe(text, keepLineBreaks);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (!IsUnsafe(c, keepLineBreaks))
            {
                escaped.Append(c);
            }
            else if (c is < ' ' or '\u007f')
            {
                escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A writer that escapes what passes through it: the program's stdout (pages: <paramref name="keepLineBreaks"/>) and
    /// stderr (one message per WriteLine, whose own line break is the only one kept).
    /// </summary>
    public static TextWriter Writer(TextWriter inner, bool keepLineBreaks) => new EscapingWriter(inner, keepLineBreaks);

    private static int FirstUnsafe(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c, keepLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c, bool keepLineBreaks) => c switch
    {
        '\n' => !keepLineBreaks,
        < ' ' or '\u007f' => true,
        >= '\u0080' and <= '\u009f' => true,
        // Bidirectional embeddings, overrides and isolates: they reorder what the reader sees.
        >= '\u202a' and <= '\u202e' => true,
        >= '\u2066' and <= '\u2069' => true,
        // Marks and separators that reorder or break the line as shown: LRM, RLM, ALM, LS, PS.
        '\u200e' or '\u200f' or '\u061c' or '\u2028' or '\u2029' => true,
        _ => char.IsSurrogate(c),
    };

    private sealed class EscapingWriter(TextWriter inner, bool keepLineBreaks) : TextWriter
    {
        // A high surrogate that ended one write waits for the low one the next write starts with.
        private char? _pendingHigh;

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => WriteCore([value]);

        public override void Write(string? value) => WriteCore(value);

        public override void Write(char[] buffer, int index, int count) => WriteCore(buffer.AsSpan(index, count));

        public override void WriteLine(string? value)
        {
            WriteCore(value);
            WriteLine();
        }

        public override void WriteLine()
        {
            WritePending();
            inner.WriteLine();
        }

        public override void Flush()
        {
            WritePending();
            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }

        private void WriteCore(ReadOnlySpan<char> value)
        {
            var text = _pendingHigh is { } high ? high + value.ToString() : value.ToString();
            _pendingHigh = null;
            if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
            {
                _pendingHigh = text[^1];
                text = text[..^1];
            }

            if (text.Length > 0)
            {
                inner.Write(Escape(text, keepLineBreaks));
            }
        }

        private void WritePending()
        {
            if (_pendingHigh is { } high)
            {
                _pendingHigh = null;
                inner.Write(Escape(high.ToString(), keepLineBreaks));
            }
        }
    }
}
