using System.Net;
using K0sNodeIp.Agent;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Targets;

/// <summary>
/// Which k0s unit runs the kubelet: the unit files as k0s install writes them (worker; controller with --enable-worker or
/// --single; a controller alone), and the target without Target:Unit following that choice on disk.
/// </summary>
public sealed class K0sUnitChoiceTests : IDisposable
{
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-choice").FullName;

    [Theory]
    [InlineData("k0scontroller-single.service", nameof(K0sUnitRole.ControllerWithWorker))]
    [InlineData("k0scontroller-enable-worker.service", nameof(K0sUnitRole.ControllerWithWorker))]
    [InlineData("k0scontroller-controller-only.service", nameof(K0sUnitRole.ControllerOnly))]
    public void Controller_runs_the_kubelet_only_with_its_worker_enabled(string fixture, string roleName)
    {
        var role = Enum.Parse<K0sUnitRole>(roleName);
        var choice = K0sUnitChoice.Choose(null, Fixture.Text("units/" + fixture));

        Assert.Equal(new K0sUnitChoice("k0scontroller", role), choice);
    }

    [Theory]
    [InlineData("--enable-worker", nameof(K0sUnitRole.ControllerWithWorker))]
    [InlineData("--single", nameof(K0sUnitRole.ControllerWithWorker))]
    [InlineData("--enable-worker=false", nameof(K0sUnitRole.ControllerOnly))]
    [InlineData("--single=true --single=false", nameof(K0sUnitRole.ControllerOnly))]
    [InlineData("--kubelet-extra-args=--enable-worker", nameof(K0sUnitRole.ControllerOnly))]
    [InlineData("--enable-workers", nameof(K0sUnitRole.ControllerOnly))]
    public void Worker_flag_is_read_as_k0s_reads_a_boolean_flag(string flags, string roleName) =>
        Assert.Equal(Enum.Parse<K0sUnitRole>(roleName), K0sUnitChoice.Choose(null, $"[Service]\nExecStart=/usr/local/bin/k0s controller {flags}\n").Role);

    [Fact]
    public void Worker_unit_wins_over_a_controller_and_no_unit_waits_for_the_worker()
    {
        Assert.Equal(new K0sUnitChoice("k0sworker", K0sUnitRole.Worker), K0sUnitChoice.Choose(Fixture.Text("units/k0sworker-plain.service"), Fixture.Text("units/k0scontroller-single.service")));
        Assert.Equal(new K0sUnitChoice("k0sworker", K0sUnitRole.NotInstalled), K0sUnitChoice.Choose(null, null));
    }

    [Fact]
    public void Target_without_a_configured_unit_writes_the_controllers_drop_in_and_follows_a_worker_installed_later()
    {
        File.WriteAllText(Path.Combine(_dir, "k0scontroller.service"), Fixture.Text("units/k0scontroller-enable-worker.service"));
        var target = new K0sDropInTarget(_dir, null, "50-k0s-node-ip.conf", Path.Combine(_dir, "absent-k0s.yaml"));

        var content = target.RenderOver(Pair, null);

        Assert.Equal(Path.Combine(_dir, "k0scontroller.service.d", "50-k0s-node-ip.conf"), target.Path);
        Assert.Equal("k0scontroller", target.Unit);
        Assert.True(target.RestartsControlPlane);
        Assert.Equal("192.0.2.10,2001:db8::10", target.NodeIpOf(content));
        Assert.Contains(Path.Combine(_dir, "k0scontroller.service"), target.WatchedFiles);
        Assert.Contains(Path.Combine(_dir, "k0sworker.service"), target.WatchedFiles);

        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), Fixture.Text("units/k0sworker-plain.service"));
        target.RenderOver(Pair, null);

        Assert.Equal(Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf"), target.Path);
        Assert.False(target.RestartsControlPlane);
    }

    [Theory]
    [InlineData(null, nameof(K0sUnitRole.NotInstalled))]
    [InlineData("k0scontroller-controller-only.service", nameof(K0sUnitRole.ControllerOnly))]
    public void Node_without_a_kubelet_unit_is_unit_absent_with_what_was_found(string? controller, string roleName)
    {
        var role = Enum.Parse<K0sUnitRole>(roleName);
        if (controller is not null)
        {
            File.WriteAllText(Path.Combine(_dir, "k0scontroller.service"), Fixture.Text("units/" + controller));
        }

        var target = new K0sDropInTarget(_dir, null, "50-k0s-node-ip.conf", Path.Combine(_dir, "absent-k0s.yaml"));

        var absent = Assert.Throws<UnitAbsentException>(() => target.RenderOver(Pair, null));
        Assert.Equal(role, absent.Role);
    }

    [Fact]
    public void Configured_unit_is_kept_whatever_the_files_say()
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), Fixture.Text("units/k0sworker-plain.service"));
        File.WriteAllText(Path.Combine(_dir, "k0scontroller.service"), Fixture.Text("units/k0scontroller-single.service"));
        var target = new K0sDropInTarget(_dir, "k0scontroller", "50-k0s-node-ip.conf", Path.Combine(_dir, "absent-k0s.yaml"));

        target.RenderOver(Pair, null);

        Assert.Equal(Path.Combine(_dir, "k0scontroller.service.d", "50-k0s-node-ip.conf"), target.Path);
        Assert.Equal([Path.Combine(_dir, "k0scontroller.service")], target.WatchedFiles);
        Assert.True(target.RestartsControlPlane);
    }

    [Fact]
    public void Plan_for_a_new_pair_under_a_later_ExecStart_override_writes_it_and_owes_no_restart()
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), Fixture.Text("units/k0sworker-plain.service"));
        var target = new K0sDropInTarget(_dir, null, "50-k0s-node-ip.conf", Path.Combine(_dir, "absent-k0s.yaml"));
        var before = target.RenderOver(Pair, null);
        Directory.CreateDirectory(Path.Combine(_dir, "k0sworker.service.d"));
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service.d", "override.conf"), "[Service]\nExecStart=\nExecStart=/usr/local/bin/k0s worker --v=9\n");

        var moved = Pair with { Ipv4 = IPAddress.Parse("192.0.2.20") };
        var plan = ReconcilePlan.For(target, moved, target.InputsWith(before), target.Unit);

        Assert.Equal(WriteKind.NodeIpOverridden, plan.Kind);
        Assert.Equal(UnitAction.DaemonReload, plan.Unit);
        Assert.True(plan.NeedsNoRestart);
        Assert.Equal(Path.Combine(_dir, "k0sworker.service.d", "override.conf"), plan.OverriddenBy);
        Assert.Equal("192.0.2.20,2001:db8::10", target.NodeIpOf(plan.Content));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
