using System.Net;
using K0sNodeIp.Agent;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Tests.Agent;

/// <summary>
/// The pure half of a reconcile, from inputs held in memory: no file exists anywhere, which also shows the targets
/// render from their inputs alone.
/// </summary>
public sealed class ReconcilePlanTests
{
    private const string UnitDirectory = "/nonexistent/k0s-node-ip-plan/units";
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private static readonly K0sDropInTarget K0s = new(UnitDirectory, "k0sworker", "50-k0s-node-ip.conf", null);

    private static TargetInputs K0sInputs(string? current, string execStart = "/usr/local/bin/k0s worker --token-file=/etc/k0s/k0stoken") =>
        new(K0s.Path)
        {
            Current = current,
            Files = new Dictionary<string, string?> { [K0s.UnitPath] = $"[Unit]\nDescription=k0s\n[Service]\nExecStart={execStart}\n" },
        };

    [Fact]
    public void The_same_pair_spelled_otherwise_in_the_file_is_rewritten_without_a_restart()
    {
        var spelledOtherwise = K0s.Render(Pair, K0sInputs(null)).Replace("2001:db8::10", "2001:DB8:0::0010", StringComparison.Ordinal);
        var dropIn = ReconcilePlan.For(K0s, Pair, K0sInputs(spelledOtherwise), unit: "k0sworker");

        var kubeadm = new KubeadmEnvironmentTarget("/nonexistent/k0s-node-ip-plan/kubelet");
        var environment = ReconcilePlan.For(kubeadm, Pair, new TargetInputs(kubeadm.Path) { Current = "KUBELET_EXTRA_ARGS=\"--v=2 --node-ip=192.0.2.10,2001:DB8::10\"\n" }, unit: "kubelet");

        Assert.True(dropIn.Kind != WriteKind.None && dropIn.NeedsNoRestart, dropIn.Kind.ToString());
        Assert.Equal(UnitAction.DaemonReload, dropIn.Unit);
        Assert.True(environment.Kind != WriteKind.None && environment.NeedsNoRestart, environment.Kind.ToString());
        Assert.NotEqual(UnitAction.Restart, environment.Unit);
    }

    [Fact]
    public void The_same_addresses_in_the_other_order_are_a_new_primary_family_and_a_restart()
    {
        var swapped = K0s.Render(Pair with { Primary = IpFamily.IPv6 }, K0sInputs(null));

        var plan = ReconcilePlan.For(K0s, Pair, K0sInputs(swapped), unit: "k0sworker");

        Assert.Equal(WriteKind.NodeIp, plan.Kind);
        Assert.Equal(UnitAction.Restart, plan.Unit);
    }

    [Fact]
    public void The_content_already_there_is_no_write()
    {
        var written = K0s.Render(Pair, K0sInputs(null));

        Assert.Equal(WriteKind.None, ReconcilePlan.For(K0s, Pair, K0sInputs(written)).Kind);
    }

    [Fact]
    public void A_first_write_and_a_new_pair_are_node_ip_changes()
    {
        var first = ReconcilePlan.For(K0s, Pair, K0sInputs(null));
        var moved = ReconcilePlan.For(K0s, Pair with { Ipv4 = IPAddress.Parse("192.0.2.20") }, K0sInputs(first.Content));

        Assert.Equal(WriteKind.NodeIp, first.Kind);
        Assert.Equal(WriteKind.NodeIp, moved.Kind);
        Assert.False(moved.NeedsNoRestart);
        Assert.Equal("192.0.2.20,2001:db8::10", K0s.NodeIpOf(moved.Content));
    }

    [Fact]
    public void A_reworded_comment_is_cosmetic()
    {
        var written = K0s.Render(Pair, K0sInputs(null));
        var reworded = written.Replace("# Written by k0s-node-ip", "# Written long ago by k0s-node-ip", StringComparison.Ordinal);

        var plan = ReconcilePlan.For(K0s, Pair, K0sInputs(reworded));

        Assert.Equal(WriteKind.Cosmetic, plan.Kind);
        Assert.True(plan.NeedsNoRestart);
        Assert.Equal(written, plan.Content);
    }

    [Fact]
    public void An_upgraded_unit_with_the_same_pair_changes_the_base_command_line_only()
    {
        var written = K0s.Render(Pair, K0sInputs(null));

        var plan = ReconcilePlan.For(K0s, Pair, K0sInputs(written, execStart: "/usr/local/bin/k0s worker --token-file=/etc/k0s/k0stoken --labels=a=b"));

        Assert.Equal(WriteKind.BaseCommandLine, plan.Kind);
        Assert.Contains("--labels=a=b", plan.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_write_owes_the_unit_follows_the_kind_of_change()
    {
        var written = K0s.Render(Pair, K0sInputs(null));
        var reworded = written.Replace("# Written by k0s-node-ip", "# Written long ago by k0s-node-ip", StringComparison.Ordinal);
        var file = new TemplateFileTarget("/nonexistent/k0s-node-ip-plan/node-ip", "{nodeIpFlag}");

        Assert.Equal(UnitAction.Restart, ReconcilePlan.For(K0s, Pair, K0sInputs(null), "k0sworker").Unit);
        Assert.Equal(UnitAction.None, ReconcilePlan.For(K0s, Pair, K0sInputs(null), unit: null).Unit);
        var cosmetic = ReconcilePlan.For(K0s, Pair, K0sInputs(reworded), "k0sworker");
        Assert.Equal(UnitAction.DaemonReload, cosmetic.Unit);
        Assert.Contains("removed: # Written long ago by k0s-node-ip", cosmetic.Why, StringComparison.Ordinal);
        // A file systemd does not read as a drop-in needs no daemon-reload for a cosmetic change.
        Assert.Equal(UnitAction.None, ReconcilePlan.For(file, Pair, new TargetInputs(file.Path) { Current = "--node-ip=192.0.2.10,2001:db8::10" }, "kubelet").Unit);
    }

    [Fact]
    public void A_target_file_that_cannot_be_replaced_stops_the_plan()
    {
        var inputs = K0sInputs(null) with { CurrentError = $"refusing to write {K0s.Path}: it is a symlink (to /etc/shadow)" };

        var error = Assert.Throws<K0sNodeIp.Formats.TargetException>(() => ReconcilePlan.For(K0s, Pair, inputs));
        Assert.Contains("symlink", error.Message, StringComparison.Ordinal);
    }
}
