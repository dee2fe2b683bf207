using System.Globalization;
using System.Text;

namespace K0sNodeIp.Formats;

/// <summary>
/// An <c>ExecStart=</c> value split into words with systemd's quoting and C escapes (systemd.service(5),
/// "Command lines"), and written back with the same escapes, spaces as <c>\x20</c> the way k0s's installer
/// writes them. Specifiers (<c>%h</c>, <c>%%</c>) and variables (<c>$X</c>, <c>$$</c>) are kept as written, so
/// they round-trip; values inserted by us never contain either. Errors give positions, never the value: a command
/// line may carry credentials (a label, a proxy URL), and errors reach the journal and --snapshot files.
/// </summary>
internal sealed record SystemdCommandLine(string Prefix, IReadOnlyList<string> Words)
{
    public static SystemdCommandLine Parse(string value)
    {
        var i = 0;
        while (i < value.Length && UnitFile.IsWhitespace(value[i]))
        {
            i++;
        }

        // Executable prefixes: @ - : + ! !!
        var prefixStart = i;
        while (i < value.Length && value[i] is '@' or '-' or ':' or '+' or '!')
        {
            i++;
        }

        var prefix = value[prefixStart..i];
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        var quoteAt = 0;
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (quote == '\0' && UnitFile.IsWhitespace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\\')
            {
                i = Unescape(value, i, word);
                continue;
            }

            if (quote == '\0' && c is '"' or '\'')
            {
                quote = c;
                quoteAt = i;
                continue;
            }

            if (c == quote)
            {
                quote = '\0';
                continue;
            }

            word.Append(c);
        }

        if (quote != '\0')
        {
            throw new TargetException($"unbalanced {quote} quote in the command line (opened at character {quoteAt + 1})");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        if (words.Count == 0)
        {
            throw new TargetException("empty command line");
        }

        return new SystemdCommandLine(prefix, words);
    }

    public string Render() => Prefix + string.Join(' ', Words.Select(w => w == ";" ? "\\;" : Escape(w)));

    /// <summary>Escapes one word so systemd reads it back as one word with the same characters.</summary>
    public static string Escape(string word)
    {
        if (word.Length == 0)
        {
            return "\"\"";
        }

        var text = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c is >= '\u0080' and <= '\u00ff')
            {
                // A byte of the unit's text: a valid UTF-8 sequence is written as it is; any other byte as \xNN, since
                // systemd ignores an assignment that is not UTF-8 clean (and with it the worker's ExecStart=).
                var sequence = Utf8SequenceAt(word, i);
                if (sequence == 0)
                {
                    text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(word, i, sequence);
                    i += sequence - 1;
                }

                continue;
            }

            switch (c)
            {
                case ' ':
                    text.Append("\\x20");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '"':
                    text.Append("\\\"");
                    break;
                case '\'':
                    text.Append("\\'");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case < ' ':
                    text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>The length of the valid UTF-8 sequence of bytes (chars up to U+00FF) that starts at <paramref name="at"/>, or 0.</summary>
    private static int Utf8SequenceAt(string word, int at)
    {
        Span<byte> bytes = stackalloc byte[4];
        var length = 0;
        while (length < 4 && at + length < word.Length && word[at + length] <= '\u00ff')
        {
            bytes[length] = (byte)word[at + length];
            length++;
        }

        // systemd's unichar_is_valid() also refuses the noncharacters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF).
        return Rune.DecodeFromUtf8(bytes[..length], out var rune, out var consumed) == System.Buffers.OperationStatus.Done
            && (rune.Value & 0xFFFE) != 0xFFFE && rune.Value is < 0xFDD0 or > 0xFDEF ? consumed : 0;
    }

    private static int Unescape(string value, int i, StringBuilder word)
    {
        if (i + 1 >= value.Length)
        {
            throw new TargetException("the command line ends in a lone backslash");
        }

        var c = value[++i];
        switch (c)
        {
            case 'a': word.Append('\a'); return i;
            case 'b': word.Append('\b'); return i;
            case 'f': word.Append('\f'); return i;
            case 'n': word.Append('\n'); return i;
            case 'r': word.Append('\r'); return i;
            case 't': word.Append('\t'); return i;
            case 'v': word.Append('\v'); return i;
            case 's': word.Append(' '); return i;
            case 'x' when i + 2 < value.Length && IsHex(value.AsSpan(i + 1, 2)):
                AppendLiteral(word, (char)int.Parse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 2;
            case 'u' when i + 4 < value.Length && IsHex(value.AsSpan(i + 1, 4)):
                AppendCodePoint(word, int.Parse(value.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture), i);
                return i + 4;
            case 'U' when i + 8 < value.Length && IsHex(value.AsSpan(i + 1, 8)):
                AppendCodePoint(word, int.Parse(value.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture), i);
                return i + 8;
            case >= '0' and <= '7' when i + 2 < value.Length && value[i + 1] is >= '0' and <= '7' && value[i + 2] is >= '0' and <= '7':
                AppendLiteral(word, (char)Convert.ToInt32(value.Substring(i, 3), 8));
                return i + 2;
            case '\\' or '"' or '\'' or ';':
                word.Append(c);
                return i;
            default:
                throw new TargetException($"unknown escape \\{c} at character {i} of the command line");
        }
    }

    /// <summary>
    /// Words keep specifiers and variables as written (%h, $X); an escaped % or $ is a literal one, so it is kept
    /// in its literal spelling (%% or $$) and stays literal when written back.
    /// </summary>
    private static void AppendLiteral(StringBuilder word, char c) =>
        word.Append(c switch { '%' => "%%", '$' => "$$", _ => c.ToString() });

    /// <summary>
    /// systemd writes a \u or \U escape's code point as UTF-8 bytes. Unit text is handled as bytes (each byte one
    /// Latin-1 char, so every other byte of the file survives untouched), so the code point is appended as its
    /// UTF-8 bytes too: written back, they are exactly the character systemd would have passed.
    /// </summary>
    private static void AppendCodePoint(StringBuilder word, int codePoint, int at)
    {
        if (codePoint is 0 or > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
        {
            throw new TargetException($"the escape for U+{codePoint:X4} at character {at} of the command line is not a character systemd accepts");
        }

        Span<byte> utf8 = stackalloc byte[4];
        var length = new Rune(codePoint).EncodeToUtf8(utf8);
        foreach (var b in utf8[..length])
        {
            AppendLiteral(word, (char)b);
        }
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
