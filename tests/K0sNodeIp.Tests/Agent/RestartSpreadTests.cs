using K0sNodeIp.Agent;
using K0sNodeIp.Targets;
using static K0sNodeIp.Tests.Support.Snapshots;

namespace K0sNodeIp.Tests.Agent;

/// <summary>Which restarts may be spread over Reload:RandomDelay: those whose kubelet still has its address.</summary>
public sealed class RestartSpreadTests
{
    private static readonly KubeadmEnvironmentTarget Target = new("/nonexistent/k0s-node-ip-spread/kubelet");
    private const string Held = "KUBELET_EXTRA_ARGS=\"--node-ip=192.0.2.10,2001:db8::10\"\n";

    [Fact]
    public void A_change_while_every_held_address_is_still_assigned_may_wait()
    {
        var node = Snapshot([Lo(), Nic(2, "eth0", "192.0.2.10/24", "192.0.2.20/24", "2001:db8::10/64")]);

        Assert.True(Reconciler.HeldAddressesStillAssigned(Held, node, Target));
    }

    [Fact]
    public void A_held_address_gone_away_cannot_wait()
    {
        var node = Snapshot([Lo(), Nic(2, "eth0", "192.0.2.20/24", "2001:db8::10/64")]);

        Assert.False(Reconciler.HeldAddressesStillAssigned(Held, node, Target));
    }

    [Fact]
    public void The_first_write_cannot_wait()
    {
        var node = Snapshot([Lo(), Nic(2, "eth0", "192.0.2.10/24", "2001:db8::10/64")]);

        Assert.False(Reconciler.HeldAddressesStillAssigned(null, node, Target));
        Assert.False(Reconciler.HeldAddressesStillAssigned("KUBELET_EXTRA_ARGS=\"--v=2\"\n", node, Target));
    }
}
