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
        // The package as shipped (its config's 30 s spread); the first write at start restarts at once.
        using var node = NodeWithPackage();
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[1]);

        // A second address (the one the worker has stays), then the node's name resolves to it: 192.0.2.10 is still
        // the node's, so the restart may wait.
        node.Exec("ip", "addr", "add", "192.0.2.20/24", "dev", "eth0");
        var hostname = node.Exec("hostname").Stdout.Trim();
        var changedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        node.WriteFile("/etc/hosts", $"127.0.0.1 localhost\n192.0.2.20 {hostname}\n");
        (double At, TimeSpan Delay)? spread = null;
        Assert.True(DaemonProcess.WaitFor(() => (spread = SpreadLogged(node)) is not null, TimeSpan.FromSeconds(20)), node.AgentJournal());
        var delay = spread!.Value.Delay;
        Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(45)), node.AgentJournal());
        var (startedAt, arguments) = node.Starts("k0sworker")[2];
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.20,2001:db8::10", arguments);
        // The delay runs from the agent's reading of the change, which came after it was made.
        Assert.True(startedAt >= changedAt + delay.TotalSeconds, $"started {startedAt - changedAt:0.00} s after the change, with a spread of {delay.TotalSeconds:0.00} s");

        // The worker's address goes away: that restart cannot wait, and is not spread.
        node.Exec("ip", "addr", "del", "192.0.2.20/24", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 4, TimeSpan.FromSeconds(20)), node.AgentJournal());
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=192.0.2.10,2001:db8::10", node.StartsOf("k0sworker")[3]);
        Assert.Single(node.AgentJournalLines(), l => l.Contains("Reload:RandomDelay", StringComparison.Ordinal));
    }

    [RootFact]
    public void A_spread_restart_is_made_at_once_when_the_kubelets_address_goes_away_during_the_delay()
    {
        using var node = NodeWithPackage(randomDelay: "50min");

        // A change that can wait, spread over up to 50 minutes...
        // (Another subnet: a second address in 192.0.2.0/24 would go with the first, the kernel's secondaries do.)
        node.Exec("ip", "addr", "add", "198.51.100.20/24", "dev", "eth0");
        node.WriteFile("/etc/hosts", $"127.0.0.1 localhost\n198.51.100.20 {node.Exec("hostname").Stdout.Trim()}\n");
        (double At, TimeSpan Delay)? spread = null;
        Assert.True(DaemonProcess.WaitFor(() => (spread = SpreadLogged(node)) is not null, TimeSpan.FromSeconds(20)), node.AgentJournal());

        // ...until the address the worker still runs with goes away: then it cannot wait.
        var removedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        node.Exec("ip", "addr", "del", "192.0.2.10/24", "dev", "eth0");
        Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 3, TimeSpan.FromSeconds(30)), node.AgentJournal());
        var (startedAt, arguments) = node.Starts("k0sworker")[2];
        Assert.Contains("--kubelet-extra-args=--v=2 --node-ip=198.51.100.20,2001:db8::10", arguments);
        Assert.True(startedAt - removedAt < spread!.Value.Delay.TotalSeconds, $"restarted {startedAt - removedAt:0.0} s after the address went, the spread was {spread.Value.Delay}");
    }

    /// <summary>
    /// A node whose worker runs, then the package installed with its own spread (or <paramref name="randomDelay"/>) and
    /// no rate limit; returned once the agent's first write has restarted the worker.
    /// </summary>
    private static SystemdNode NodeWithPackage(string? randomDelay = null)
    {
        var node = new SystemdNode();
        try
        {
            node.AddDualStackNetwork();
            node.InstallStandIn("k0sworker", Worker);
            node.Exec("rm", SystemdNode.NoSpreadDropIn);
            node.WriteFile("/etc/systemd/system/k0s-node-ip.service.d/test.conf", "[Service]\nEnvironment=K0SNODEIP_Reload__MinInterval=00:00:00 K0SNODEIP_Watch__Debounce=00:00:00.5"
                + (randomDelay is null ? string.Empty : $" K0SNODEIP_Reload__RandomDelay={randomDelay}") + "\n");
            node.CopyIn(Packages.Deb("0.1.0"), "/tmp/k0s-node-ip.deb");
            node.Exec("dpkg", "-i", "/tmp/k0s-node-ip.deb");
            Assert.True(DaemonProcess.WaitFor(() => node.StartsOf("k0sworker").Count == 2, TimeSpan.FromSeconds(30)), node.AgentJournal());
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>When the agent logged the spread of the worker's restart (journald's Unix time) and the delay it chose; null before.</summary>
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
