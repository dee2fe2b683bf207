using K0sNodeIp.Formats;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// Unit files are split into lines as systemd splits them (conf-parser.c, fileio.c's read_line): a table of tricky
/// files read by a booted systemd and by the agent must give the same command line, word for word.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class UnitLineRulesTests
{
    /// <summary>The [Service] text of each case, after "[Service]\n".</summary>
    private static readonly string[] Cases =
    [
        // A comment inside a continuation is dropped, and the continuation goes on past it.
        "ExecStart=/usr/bin/k0s worker \\\n#  --labels=commented-out \\\n  --token-file=/t\n",
        "ExecStart=/usr/bin/k0s worker \\\n; --debug\n  --token-file=/t\n",
        "ExecStart=/usr/bin/k0s worker \\\n   # --indented-comment \\\n --after-comment\n",
        // A lone carriage return ends a line; so do \r\n and \n\r, once each.
        "ExecStart=/usr/bin/k0s worker --a\r--b=1\n",
        "ExecStart=/usr/bin/k0s worker \\\r--after-cr\n",
        "ExecStart=/usr/bin/k0s \\\r\nworker --crlf\r\n",
        "ExecStart=/usr/bin/k0s worker --lfcr\n\r--z=1\n",
        // Two backslashes are an escaped backslash, not a continuation; three are both.
        "ExecStart=/usr/bin/k0s worker --a=x\\\\\n--b=y\n",
        "ExecStart=/usr/bin/k0s worker --a=x\\\\\\\n--b=y\n",
        // A blank line ends a continuation.
        "ExecStart=/usr/bin/k0s worker \\\n\n--not-joined=1\n",
        // A comment line that ends in a backslash continues nothing.
        "# ExecStart=/usr/bin/k0s controller \\\nExecStart=/usr/bin/k0s worker --plain\n",
        // UTF-8 whose bytes include 0x85 and 0xA0 (х is D1 85, à is C3 A0): no word break there, only systemd's whitespace.
        "ExecStart=/usr/bin/k0s worker --labels=name=\u0420x\u0445,other=\u00e0 --token-file=/t\n",
        // One byte order mark, at the start of a line, is dropped.
        "\uFEFFExecStart=/usr/bin/k0s worker --after-bom\n",
    ];

    [RootFact]
    public void Every_tricky_unit_file_gives_the_agent_the_command_line_systemd_runs()
    {
        using var node = new SystemdNode();
        for (var i = 0; i < Cases.Length; i++)
        {
            node.WriteFile($"/etc/systemd/system/tricky{i}.service", "[Unit]\nDescription=tricky\n[Service]\n" + Cases[i]);
        }

        node.Exec("systemctl", "daemon-reload");
        var differences = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var shown = node.Exec("systemctl", "show", "-p", "ExecStart", "--value", $"tricky{i}.service").Stdout;
            var systemd = Argv(shown);
            // As the agent reads a unit: its bytes, one Latin-1 char each; the words compared as the UTF-8 systemd shows.
            var text = FileText.Bytes.GetString(File.ReadAllBytes(node.Root + $"/etc/systemd/system/tricky{i}.service"));
            var agent = string.Join(' ', SystemdCommandLine.Parse(UnitFile.ExecStart(text, $"tricky{i}")).Words.Select(w => System.Text.Encoding.UTF8.GetString(FileText.Bytes.GetBytes(w))));
            if (agent != systemd)
            {
                differences.Add($"case {i}: systemd runs [{systemd}], the agent read [{agent}]");
            }
        }

        Assert.Empty(differences);
    }

    [RootFact]
    public void A_command_line_with_bytes_that_are_not_utf8_starts_from_the_drop_in_as_written_in_the_unit()
    {
        using var node = new SystemdNode();
        // \xff is no UTF-8 (systemd ignores an assignment that is not UTF-8 clean); \xc3\xa9 and the raw é are.
        node.InstallStandIn("k0sworker", "/usr/local/bin/stand-in worker --labels=a\\xffb,c\\xc3\\xa9,d=é --debug");

        var target = new K0sNodeIp.Targets.K0sDropInTarget(node.Root + "/etc/systemd/system", "k0sworker", "50-k0s-node-ip.conf", null);
        var pair = new K0sNodeIp.Node.NodeIpPair(System.Net.IPAddress.Parse("192.0.2.10"), System.Net.IPAddress.Parse("2001:db8::10"), K0sNodeIp.Node.IpFamily.IPv4);
        Directory.CreateDirectory(node.Root + "/etc/systemd/system/k0sworker.service.d");
        File.WriteAllBytes(target.Path, FileText.Bytes.GetBytes(target.RenderOver(pair, null)));
        node.Exec("sh", "-c", "systemctl daemon-reload && systemctl restart k0sworker.service");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(10)), node.AgentJournal());

        // The arguments as bytes, one per line after each "--- start" line.
        var starts = FileText.Bytes.GetString(File.ReadAllBytes(node.Root + "/var/log/stand-in-k0sworker.log"))
            .Split("--- start", StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('\n').Skip(1).Where(l => l.Length > 0).ToList()).ToList();
        Assert.Equal(["worker", "--labels=a\u00ffb,c\u00c3\u00a9,d=\u00c3\u00a9", "--debug"], starts[0]);
        Assert.Equal([.. starts[0], "--kubelet-extra-args=--node-ip=192.0.2.10,2001:db8::10"], starts[1]);
    }

    /// <summary>The argv[]= field of systemctl show's ExecStart= (words joined by spaces; the cases have none inside a word).</summary>
    private static string Argv(string shown)
    {
        const string Field = "argv[]=";
        var start = shown.IndexOf(Field, StringComparison.Ordinal);
        Assert.True(start >= 0, shown);
        start += Field.Length;
        return shown[start..shown.IndexOf(" ;", start, StringComparison.Ordinal)];
    }
}
