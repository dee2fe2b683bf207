using K0sNodeIp.Check;

namespace K0sNodeIp.Tests.Check;

public sealed class DriftComparisonTests
{
    private const string Pair = "192.0.2.10,2001:db8::10";
    private static readonly TargetReading File = new("/etc/default/kubelet", true, Pair);

    [Fact]
    public void All_three_agreeing_is_ok_and_names_the_pair()
    {
        var report = DriftComparison.Compare(Pair, File, [new KubeletProcess(42, "192.0.2.10,2001:DB8:0::10", "k0s")]);

        Assert.Equal(DriftStatus.Agree, report.Status);
        Assert.Equal(0, report.ExitCode);
        Assert.Empty(report.Differences);
        Assert.StartsWith("OK: detection, /etc/default/kubelet and the running kubelet agree on --node-ip=" + Pair, report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void No_kubelet_compares_detection_and_file_and_says_so()
    {
        var report = DriftComparison.Compare(Pair, File, []);

        Assert.Equal(DriftStatus.Agree, report.Status);
        Assert.False(report.KubeletFound);
        Assert.Contains("kubelet not found", report.Summary, StringComparison.Ordinal);
        Assert.Contains(report.Notes, n => n.Contains("kubelet not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Later_drop_in_replacing_ExecStart_differs_and_names_the_file_that_wins()
    {
        const string Override = "/etc/systemd/system/k0sworker.service.d/override.conf";
        var report = DriftComparison.Compare(Pair, File with { ExecStartOverriddenBy = Override }, []);

        Assert.Equal(DriftStatus.Differ, report.Status);
        Assert.Equal(1, report.ExitCode);
        Assert.StartsWith(Override + " sets ExecStart= after /etc/default/kubelet", Assert.Single(report.Differences), StringComparison.Ordinal);
    }

    [Fact]
    public void File_behind_detection_differs_and_says_how()
    {
        var report = DriftComparison.Compare(Pair, File with { NodeIp = "192.0.2.5" }, []);

        Assert.Equal(DriftStatus.Differ, report.Status);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("/etc/default/kubelet has --node-ip=192.0.2.5, detection gives --node-ip=" + Pair, Assert.Single(report.Differences));
        Assert.StartsWith("DRIFT: ", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubelet_not_restarted_since_the_file_changed_differs_naming_its_pid()
    {
        var report = DriftComparison.Compare(Pair, File, [new KubeletProcess(42, "192.0.2.5", "k0s")]);

        Assert.Equal(DriftStatus.Differ, report.Status);
        Assert.Equal(
            "the running kubelet (PID 42, child of k0s) was started with --node-ip=192.0.2.5, /etc/default/kubelet has --node-ip=" + Pair,
            Assert.Single(report.Differences));
    }

    [Fact]
    public void Primary_family_order_matters_and_a_kubelet_without_node_ip_differs()
    {
        Assert.Equal(DriftStatus.Differ, DriftComparison.Compare(Pair, File with { NodeIp = "2001:db8::10,192.0.2.10" }, []).Status);
        var report = DriftComparison.Compare(Pair, File, [new KubeletProcess(7, null, null)]);
        Assert.Contains("was started with no --node-ip", Assert.Single(report.Differences), StringComparison.Ordinal);
    }

    [Fact]
    public void File_and_kubelet_agreeing_with_each_other_but_not_detection_gives_both_differences()
    {
        var report = DriftComparison.Compare(Pair, File with { NodeIp = "192.0.2.5" }, [new KubeletProcess(42, "192.0.2.5", null)]);

        Assert.Equal(2, report.Differences.Count);
        Assert.Contains("detection gives --node-ip=" + Pair, report.Differences[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pair_the_target_cannot_order_is_unknown_and_says_why_not_that_nothing_was_found()
    {
        var report = DriftComparison.Compare(null, File, [], whyNoPair: "the pair cannot be ordered for the k0s drop-in: unbalanced quote");

        Assert.Equal(DriftStatus.Unknown, report.Status);
        Assert.Equal(["the pair cannot be ordered for the k0s drop-in: unbalanced quote, so there is nothing to compare with"], report.Notes.Take(1));
        Assert.DoesNotContain(report.Notes, n => n.Contains("found no address", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreadable_target_or_nothing_detected_is_unknown()
    {
        var unreadable = DriftComparison.Compare(Pair, TargetReading.Unreadable("/etc/default/kubelet", "permission denied"), []);
        Assert.Equal(DriftStatus.Unknown, unreadable.Status);
        Assert.Equal(3, unreadable.ExitCode);
        Assert.Contains("cannot read the target /etc/default/kubelet: permission denied", unreadable.Summary, StringComparison.Ordinal);

        var nothing = DriftComparison.Compare(null, File, [new KubeletProcess(42, Pair, null)]);
        Assert.Equal(DriftStatus.Unknown, nothing.Status);
        Assert.StartsWith("UNKNOWN: detection found no address", nothing.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_target_file_differs_from_a_detected_pair()
    {
        Assert.Equal(DriftStatus.Differ, DriftComparison.Compare(Pair, File with { NodeIp = null }, []).Status);
    }
}
