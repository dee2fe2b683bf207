using System.Net;
using K0sNodeIp.Tests.Support;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;
using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Targets;

/// <summary>The k0s drop-in beside the unit's other editors: an operator's lines, later drop-ins, a missing unit.</summary>
public sealed class UnitEditorsTargetTests : IDisposable
{
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-editors").FullName;

    [Fact]
    public void Lines_an_operator_added_are_kept_and_a_second_render_changes_nothing()
    {
        var target = Installed();
        var edited = target.RenderOver(Pair, null) + "Environment=FOO=1\n[Unit]\nAfter=foo.service\n";

        var once = target.RenderOver(Pair, edited);

        Assert.Contains("Environment=FOO=1\n", once, StringComparison.Ordinal);
        Assert.Contains("[Unit]\nAfter=foo.service\n", once, StringComparison.Ordinal);
        Assert.Equal(["Environment=FOO=1", "[Unit] After=foo.service"], target.ForeignLines(edited));
        Assert.Equal(once, target.RenderOver(Pair, once));
        Assert.Equal(target.EffectiveArguments(edited), target.EffectiveArguments(once));
    }

    [Fact]
    public void The_condition_carries_the_unit_files_hash_and_follows_its_change()
    {
        var target = Installed();
        var before = target.RenderOver(Pair, null);
        File.AppendAllText(target.UnitPath, "# rewritten by an upgrade\n");

        var after = target.RenderOver(Pair, before);

        Assert.Contains("ExecCondition=" + K0sDropInTarget.ConditionMarker, before, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/bin/k0s-node-ip", before, StringComparison.Ordinal);
        Assert.NotEqual(before, after);
        Assert.Equal(target.EffectiveArguments(before), target.EffectiveArguments(after));
        Assert.Empty(target.ForeignLines(before));
    }

    [Fact]
    public void A_later_drop_in_setting_ExecStart_is_named_and_an_earlier_one_is_not()
    {
        var target = Installed();
        File.WriteAllText(target.Path, target.RenderOver(Pair, null));
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service.d", "10-early.conf"), "[Service]\nExecStart=\nExecStart=/bin/true\n");
        Assert.Null(target.ExecStartOverriddenBy(target.InputsOnDisk()));

        var later = Path.Combine(_dir, "k0sworker.service.d", "override.conf");
        File.WriteAllText(later, "[Service]\nExecStart=\nExecStart=/bin/true\n");

        Assert.Equal(later, target.ExecStartOverriddenBy(target.InputsOnDisk()));
    }

    [Fact]
    public void Drop_ins_merge_by_file_name_the_earlier_folder_winning_in_name_order()
    {
        var etc = Directory.CreateDirectory(Path.Combine(_dir, "etc", "k0sworker.service.d")).FullName;
        var lib = Directory.CreateDirectory(Path.Combine(_dir, "lib", "k0sworker.service.d")).FullName;
        var types = Directory.CreateDirectory(Path.Combine(_dir, "lib", "service.d")).FullName;
        foreach (var file in new[] { Path.Combine(etc, "50-a.conf"), Path.Combine(lib, "50-a.conf"), Path.Combine(lib, "10-b.conf"), Path.Combine(types, "90-c.conf") })
        {
            File.WriteAllText(file, "[Service]\n");
        }

        var ordered = UnitDropIns.Ordered([Path.Combine(_dir, "etc"), Path.Combine(_dir, "lib")], "k0sworker.service", folder => Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "*.conf").Select(f => Path.GetFileName(f)!)] : []);

        Assert.Equal([Path.Combine(lib, "10-b.conf"), Path.Combine(etc, "50-a.conf"), Path.Combine(types, "90-c.conf")], ordered);
    }

    [Fact]
    public void A_missing_unit_is_its_own_exception()
    {
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);

        Assert.Throws<UnitAbsentException>(() => target.RenderOver(Pair, null));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private K0sDropInTarget Installed()
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), "[Service]\nExecStart=/usr/local/bin/k0s worker --kubelet-extra-args=--v=2\n");
        Directory.CreateDirectory(Path.Combine(_dir, "k0sworker.service.d"));
        return new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);
    }
}
