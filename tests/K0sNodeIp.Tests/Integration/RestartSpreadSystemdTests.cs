using System.Globalization;
using System.Text.RegularExpressions;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The package's Reload:RandomDelay on a real systemd: a change every node sees together (here the hosts file moving the
/// node name to another of its addresses) restarts the worker after the delay the agent chose and logged; a change that
/// cannot wait (the address the worker has goes away) restarts it without one.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class RestartSpreadSystemdTests
{
    private const string Worker = "/usr/local/bin/stand-in worker --kubelet-extra-args=--v=2";

    [RootFact]
    public void A_change_that_can_wait_is_spread_by_the_delay_logged_and_a_vanished_address_is_not()
    {
        using var node = new SystemdNode();
        node.AddDualStackNetwork();
        node.InstallStandIn("k0sworker", Worker);
        // The package as shipped (its config's 30 s spread), with the rate limit out of the way.
        node.Exec("rm", SystemdNode.NoSpreadDropIn);
        node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:00.5\n");
        node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
        node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");

        // The first write at start restarts at once: the worker was started before the agent.
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[1]);

        // A second address (the one the worker has stays), then the node's name resolves to it: 192.0.2.10 is still
        // the node's, so the restart may wait.
        node.Exec("ip", "addr", "add", "192.0.2.20/24", "dev", "eth0");
        var hostname = node.Exec("hostname").Stdout.Trim();
        node.WriteFile("/etc/hosts", $"127.0.0.1 localhost\n192.0.2.20 {hostname}\n");
        (double At, TimeSpan Delay)? spread = null;
        Assert.True(DaemonProcess.WaitFor(() => (spread = SpreadLogged(node)) is not null, TimeSpan.FromSeconds(20)), node.AgentJournal());
        var (loggedAt, delay) = spread!.Value;
        Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(45)), node.AgentJournal());
        var (startedAt, arguments) = node.Starts("k0sworker")[2];
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.20,2001:db8::10", arguments);
        Assert.True(startedAt >= loggedAt + delay.TotalSeconds - 0.2, $"started {startedAt - loggedAt:0.00} s after the spread of {delay.TotalSeconds:0.00} s was logged");

        // The worker's address goes away: that restart cannot wait, and is not spread.
        node.Exec("ip", "addr", "del", "192.0.2.20/24", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 4, TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[3]);
        Assert.Single(node.AgentJournalLines(), l => l.Contains("Reload:RandomDelay", StringComparison.Ordinal));
    }

    /// <summary>When the agent logged the spread of the worker's restart (Unix time) and the delay it chose; null before.</summary>
    private static (double At, TimeSpan Delay)? SpreadLogged(SystemdNode node)
    {
        foreach (var line in node.TryExec("journalctl", "-u", "k0s-node-ip", "--no-pager", "-o", "short-unix").Stdout.Split('\n'))
        {
            if (SpreadLine().Match(line) is { Success: true } match)
            {
                return (double.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture), TimeSpan.Parse(match.Groups["delay"].Value, CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<at>\d+\.\d+) .*restart of k0sworker in (?<delay>[0-9:.]+) \(Reload:RandomDelay")]
    private static partial Regex SpreadLine();
}
