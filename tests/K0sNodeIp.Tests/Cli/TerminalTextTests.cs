using K0sNodeIp.Modes;
using K0sNodeIp.Report;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Cli;

public sealed class TerminalTextTests
{
    [Fact]
    public void Received_snapshot_cannot_send_escape_sequences_to_the_terminal_through_print()
    {
        var fixture = Path.Combine(Packages.RepositoryRoot, "tests", "K0sNodeIp.Tests", "Fixtures", "snapshots", "Nxdomain_falls_back_to_the_default_route_interface.json");
        var hostile = File.ReadAllText(fixture).Replace("\"error\": \"node1. A: NXDOMAIN", "\"error\": \"\\u001b[2J\\u001b]0;owned\\u0007\\u009bnode1. A: NXDOMAIN", StringComparison.Ordinal);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, hostile);
        var stdout = new StringWriter();
        try
        {
            var exit = K0sNodeIpApp.Run(["--print", "--from-snapshot", file], stdout, new StringWriter());

            Assert.Equal(ExitCodes.Success, exit);
            Assert.DoesNotContain(stdout.ToString(), c => c != '\n' && char.IsControl(c));
            Assert.Contains("\\x1b[2J\\x1b]0;owned\\x07\\u009bnode1. A: NXDOMAIN", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Plain_text_and_line_breaks_pass_as_they_are() => Assert.Equal("eth0 \\ 192.0.2.10\nnext", TerminalText.Escape("eth0 \\ 192.0.2.10\nnext"));
}
