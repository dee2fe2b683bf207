using K0sNodeIp.Formats;
using K0sNodeIp.Modes;
using K0sNodeIp.Report;
using K0sNodeIp.Tests.Support;
using NSubstitute;

namespace K0sNodeIp.Tests.Formats;

/// <summary>Outside text (snapshots, files, DNS, interface names) reaches no terminal, journal record or STATUS= raw.</summary>
public sealed class OutsideTextTests
{
    [Fact]
    public void Received_snapshot_cannot_send_escape_sequences_to_the_terminal_through_print()
    {
        var (exit, stdout, _) = PrintFromSnapshot(document => document["lookups"]![0]!["error"] = "\u001b[2J\u001b]0;owned\u0007\u009b" + document["lookups"]![0]!["error"]!.GetValue<string>());

        Assert.Equal(ExitCodes.Success, exit);
        Assert.DoesNotContain(stdout, c => c != '\n' && char.IsControl(c));
        Assert.Contains("\\x1b[2J\\x1b]0;owned\\x07\\u009bnode1. A: NXDOMAIN", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_written_by_note_on_standard_error_is_escaped()
    {
        var (exit, _, stderr) = PrintFromSnapshot(document => document["takenBy"] = "k0s-node-ip 9.9\u001b]52;c;b3duZWQ=\u0007\u001b[2J\nforged line");

        Assert.Equal(ExitCodes.Success, exit);
        var note = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("was written by", StringComparison.Ordinal));
        Assert.DoesNotContain(note, char.IsControl);
        Assert.Contains("9.9\\x1b]52;c;b3duZWQ=\\x07\\x1b[2J\\x0aforged line", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_hostname_with_line_breaks_cannot_forge_lines_in_print()
    {
        const string Forged = "vm\n  IPv4  203.0.113.9 (static)\n";
        var (exit, stdout, _) = PrintFromSnapshot(document =>
        {
            document["hostname"] = Forged;
            document["lookups"]![0]!["name"] = Forged;
        });

        Assert.Equal(ExitCodes.Success, exit);
        var lines = stdout.Split('\n');
        Assert.DoesNotContain("  IPv4  203.0.113.9 (static)", lines);
        Assert.Contains(lines, l => l.StartsWith("hostname vm\\x0a  IPv4  203.0.113.9 (static)\\x0a,", StringComparison.Ordinal));
    }

    /// <summary>--print --from-snapshot of a fixture snapshot that <paramref name="edit"/> made hostile: exit code, stdout, stderr.</summary>
    private static (int Exit, string Stdout, string Stderr) PrintFromSnapshot(Action<System.Text.Json.Nodes.JsonNode> edit)
    {
        var fixture = Path.Combine(Packages.RepositoryRoot, "tests", "K0sNodeIp.Tests", "Fixtures", "snapshots", "Nxdomain_falls_back_to_the_default_route_interface.json");
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(fixture))!;
        edit(document);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, document.ToJsonString());
        try
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", file], stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("eth0 \\ 192.0.2.10", "eth0 \\ 192.0.2.10")]
    [InlineData("a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd")]
    [InlineData("\u001b[31m\u007f\u0085", "\\x1b[31m\\x7f\\u0085")]
    [InlineData("abc\u202edef\u2066", "abc\\u202edef\\u2066")]
    [InlineData("node-\U0001F600 ok", "node-\U0001F600 ok")]
    public void Unsafe_characters_are_escaped_and_the_rest_kept(string text, string expected) => Assert.Equal(expected, OutsideText.Escape(text));

    [Fact]
    public void A_lone_surrogate_is_escaped() => Assert.Equal("lone\\ud800 high", OutsideText.Escape("lone" + '\ud800' + " high"));

    [Fact]
    public void Line_breaks_are_kept_only_when_asked() =>
        Assert.Equal(["a", "b\\x1b"], OutsideText.Escape("a\nb\u001b", keepLineBreaks: true).Split('\n'));

    [Fact]
    public void The_writer_escapes_what_passes_and_keeps_pairs_written_a_char_at_a_time()
    {
        var inner = new StringWriter();
        var writer = OutsideText.Writer(inner, keepLineBreaks: false);
        writer.Write("x\u001by\n");
        foreach (var c in "\U0001F600")
        {
            writer.Write(c);
        }

        writer.WriteLine();
        Assert.Equal("x\\x1by\\x0a\U0001F600\n", inner.ToString());
    }

    [Fact]
    public void The_writer_keeps_a_pair_split_across_strings_and_shows_a_high_surrogate_left_alone()
    {
        var inner = new StringWriter();
        var writer = OutsideText.Writer(inner, keepLineBreaks: true);
        var pair = "\U0001F600";

        writer.Write("a" + pair[0]);
        writer.Write(pair[1] + "b");
        writer.Write("c" + pair[0]);
        writer.WriteLine("d");

        Assert.Equal($"a{pair}bc\\ud83dd\n", inner.ToString());
    }

    [Fact]
    public void A_log_value_with_a_newline_stays_one_record()
    {
        var logEvent = new Serilog.Events.LogEvent(DateTimeOffset.UnixEpoch, Serilog.Events.LogEventLevel.Warning, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("lookup failed: {Error}"),
            [new Serilog.Events.LogEventProperty("Error", new Serilog.Events.ScalarValue("bad answer\n<3>forged\u001b[2J"))]);

        new K0sNodeIp.Agent.Logging.OutsideTextEnricher().Enrich(logEvent, Substitute.For<Serilog.Core.ILogEventPropertyFactory>());

        Assert.Equal("lookup failed: \"bad answer\\x0a<3>forged\\x1b[2J\"", logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
