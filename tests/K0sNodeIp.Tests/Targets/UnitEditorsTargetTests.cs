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

    [Fact]
    public void Service_lines_kept_after_another_section_stay_under_their_own_header()
    {
        var target = Installed();
        var edited = "Description=before any header\n" + target.RenderOver(Pair, null) + "[Unit]\nAfter=foo.service\n[Service]\nEnvironment=FOO=1\n";

        var once = target.RenderOver(Pair, edited);

        Assert.Equal([(string.Empty, "Description=before any header"), ("[Unit]", "After=foo.service"), ("[Service]", "Environment=FOO=1")],
            UnitFile.Entries(once).Where(e => e.Key is "After" or "Environment" or "Description").Select(e => (e.Section, e.Text)).ToList());
        Assert.Equal(once, target.RenderOver(Pair, once));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("100%h $HOME `id` \"q\" 'a' \\x2d ;|")]
    public void The_condition_reads_the_unit_file_whatever_its_folder_is_called(string folderName)
    {
        var folder = Path.Combine(_dir, folderName);
        Directory.CreateDirectory(Path.Combine(folder, "k0sworker.service.d"));
        var unit = Path.Combine(folder, "k0sworker.service");
        File.WriteAllText(unit, "[Service]\nExecStart=/usr/local/bin/k0s worker\n");
        var target = new K0sDropInTarget(folder, "k0sworker", "50-k0s-node-ip.conf", null);
        var condition = UnitFile.ServiceValues(target.RenderOver(Pair, null), "ExecCondition").Single().Value;

        // As systemd runs it: specifiers (%% is %), then words with quotes and C escapes, then variables ($$ is $).
        var words = SystemdCommandLine.Parse(condition.Replace("%%", "%", StringComparison.Ordinal)).Words.Select(w => w.Replace("$$", "$", StringComparison.Ordinal)).ToList();
        Assert.Equal(0, RunCondition(words));

        // An upgrade rewrote the unit: refused (1) while the agent runs, which the stand-in systemctl says it does.
        File.AppendAllText(unit, "# upgraded\n");
        Assert.Equal(1, RunCondition(words));
    }

    private int RunCondition(List<string> words)
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "systemctl"), "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(Path.Combine(bin, "systemctl"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var start = new System.Diagnostics.ProcessStartInfo(words[0]) { RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private K0sDropInTarget Installed()
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), "[Service]\nExecStart=/usr/local/bin/k0s worker --kubelet-extra-args=--v=2\n");
        Directory.CreateDirectory(Path.Combine(_dir, "k0sworker.service.d"));
        return new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);
    }
}
