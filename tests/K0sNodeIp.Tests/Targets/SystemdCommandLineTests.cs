using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Targets;

public sealed class SystemdCommandLineTests
{
    [Theory]
    [InlineData("/bin/k0s worker --a=b\\x20c", new[] { "/bin/k0s", "worker", "--a=b c" })]
    [InlineData("-/bin/k0s \"a b\" 'c d' e\\se", new[] { "/bin/k0s", "a b", "c d", "e e" })]
    [InlineData("/bin/x --v=\"quoted middle\" \\\\back", new[] { "/bin/x", "--v=quoted middle", "\\back" })]
    [InlineData("/bin/x \\101\\x42 \\t", new[] { "/bin/x", "AB", "\t" })]
    public void Words_are_split_with_systemds_quoting_and_escapes(string value, string[] expected)
    {
        Assert.Equal(expected, SystemdCommandLine.Parse(value).Words);
    }

    [Theory]
    // Bytes of the unit file, one Latin-1 char each: raw UTF-8 stays raw, anything systemd would not call UTF-8 is escaped.
    [InlineData("--l=\u00c3\u00a0\u00d1\u0085", "--l=\u00c3\u00a0\u00d1\u0085")]
    [InlineData("--l=a\u00ffb", "--l=a\\xffb")]
    [InlineData("--l=\u00ef\u00bf\u00be", "--l=\\xef\\xbf\\xbe")]
    [InlineData("--l=\u00ef\u00b7\u0090", "--l=\\xef\\xb7\\x90")]
    public void Bytes_that_are_not_utf8_to_systemd_are_written_as_escapes(string word, string escaped)
    {
        Assert.Equal(escaped, SystemdCommandLine.Escape(word));
        Assert.Equal(["/bin/k0s", word], SystemdCommandLine.Parse("/bin/k0s " + escaped).Words);
    }

    [Theory]
    [InlineData("\\u00e9", "é")]
    [InlineData("\\u2603", "☃")]
    [InlineData("\\U0001F600", "😀")]
    [InlineData("\\xc3\\xa9", "é")]
    public void Unicode_escapes_become_the_utf8_bytes_systemd_passes(string escaped, string expected)
    {
        // Words hold the bytes systemd hands the program, one Latin-1 char per byte.
        var word = SystemdCommandLine.Parse($"/bin/x --label={escaped}").Words[1];

        Assert.Equal("--label=" + expected, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(word)));
    }

    [Fact]
    public void Prefix_is_kept()
    {
        var line = SystemdCommandLine.Parse("-+/bin/x a");

        Assert.Equal("-+", line.Prefix);
        Assert.Equal("-+/bin/x a", line.Render());
    }

    [Theory]
    [InlineData("/bin/x \"unterminated")]
    [InlineData("/bin/x \\q")]
    [InlineData("   ")]
    public void Malformed_command_lines_are_target_errors(string value)
    {
        Assert.Throws<TargetException>(() => SystemdCommandLine.Parse(value));
    }

    [Theory]
    [InlineData("/bin/k0s worker --labels=\"secret=LABELSECRET", "unbalanced \" quote in the command line (opened at character 26)")]
    [InlineData("/bin/k0s worker --labels=LABELSECRET \\q", "unknown escape \\q at character 38 of the command line")]
    [InlineData("/bin/k0s worker --labels=LABELSECRET\\", "the command line ends in a lone backslash")]
    [InlineData("/bin/k0s --x=LABELSECRET\\uD800", "the escape for U+D800 at character 25 of the command line is not a character systemd accepts")]
    public void Errors_give_a_position_never_the_command_line(string value, string expected)
    {
        // A command line may carry credentials; errors reach the journal and --snapshot files.
        var e = Assert.Throws<TargetException>(() => SystemdCommandLine.Parse(value));

        Assert.Equal(expected, e.Message);
        Assert.DoesNotContain("LABELSECRET", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_percent_and_dollar_stay_literal_and_a_lone_semicolon_stays_a_word()
    {
        var line = SystemdCommandLine.Parse(@"/bin/x a\x25h \x24HOME %h \;");

        Assert.Equal(["/bin/x", "a%%h", "$$HOME", "%h", ";"], line.Words);
        Assert.Equal(@"/bin/x a%%h $$HOME %h \;", line.Render());
    }

    [Fact]
    public void Render_then_parse_gives_the_same_words()
    {
        string[] words = ["/usr/bin/k0s", "a b", "quote\"s", "it's", "back\\slash", "tab\there", "new\nline", "", "%%h", "$$HOME"];

        var parsed = SystemdCommandLine.Parse(new SystemdCommandLine(string.Empty, words).Render());

        Assert.Equal(words, parsed.Words);
    }
}
