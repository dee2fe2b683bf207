using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Targets;

public sealed class KubeadmEnvironmentTargetTests
{
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private static readonly KubeadmEnvironmentTarget Target = new("/etc/default/kubelet");

    [Fact]
    public void Node_ip_is_replaced_and_every_other_byte_kept()
    {
        var before = Fixture.Text("units/kubelet-default");

        var after = Target.RenderOver(Pair, before);

        Assert.Equal(before.Replace("--node-ip=10.0.2.15", "--node-ip=192.0.2.10,2001:db8::10", StringComparison.Ordinal), after);
        Assert.Equal("192.0.2.10,2001:db8::10", Target.NodeIpOf(after));
    }

    [Theory]
    [InlineData("KUBELET_EXTRA_ARGS=\n", "KUBELET_EXTRA_ARGS=--node-ip=192.0.2.10,2001:db8::10\n")]
    [InlineData("KUBELET_EXTRA_ARGS=\"--v=2 --node-ip 10.0.0.1\"\n", "KUBELET_EXTRA_ARGS=\"--v=2 --node-ip=192.0.2.10,2001:db8::10\"\n")]
    [InlineData("KUBELET_EXTRA_ARGS='--v=2'\n", "KUBELET_EXTRA_ARGS='--v=2 --node-ip=192.0.2.10,2001:db8::10'\n")]
    [InlineData("# only a comment", "# only a comment\nKUBELET_EXTRA_ARGS=--node-ip=192.0.2.10,2001:db8::10\n")]
    [InlineData("", "KUBELET_EXTRA_ARGS=--node-ip=192.0.2.10,2001:db8::10\n")]
    [InlineData("A=1\r\nKUBELET_EXTRA_ARGS=--v=2\r\nB=2\r\n", "A=1\r\nKUBELET_EXTRA_ARGS=--v=2 --node-ip=192.0.2.10,2001:db8::10\r\nB=2\r\n")]
    [InlineData("KUBELET_EXTRA_ARGS=--v=2", "KUBELET_EXTRA_ARGS=--v=2 --node-ip=192.0.2.10,2001:db8::10")]
    [InlineData("KUBELET_EXTRA_ARGS=--v=2 \\\n  --max-pods=10\nB=2\n", "KUBELET_EXTRA_ARGS=--v=2 --max-pods=10 --node-ip=192.0.2.10,2001:db8::10\nB=2\n")]
    [InlineData("#KUBELET_EXTRA_ARGS=--old\nKUBELET_EXTRA_ARGS=--v=1\nKUBELET_EXTRA_ARGS=--v=2\n", "#KUBELET_EXTRA_ARGS=--old\nKUBELET_EXTRA_ARGS=--v=1\nKUBELET_EXTRA_ARGS=--v=2 --node-ip=192.0.2.10,2001:db8::10\n")]
    [InlineData("A=1\r\n", "A=1\r\nKUBELET_EXTRA_ARGS=--node-ip=192.0.2.10,2001:db8::10\r\n")]
    public void Merge_handles_quotes_line_endings_continuations_and_repeats(string before, string expected)
    {
        Assert.Equal(expected, Target.RenderOver(Pair, before));
    }

    [Fact]
    public void Missing_file_is_created_with_just_the_variable()
    {
        Assert.Equal("KUBELET_EXTRA_ARGS=--node-ip=192.0.2.10,2001:db8::10\n", Target.RenderOver(Pair, null));
    }

    [Fact]
    public void Single_stack_and_ipv6_primary_orders()
    {
        Assert.Equal("KUBELET_EXTRA_ARGS=--node-ip=2001:db8::10\n", Target.RenderOver(Pair with { Ipv4 = null }, null));
        Assert.Equal("KUBELET_EXTRA_ARGS=--node-ip=2001:db8::10,192.0.2.10\n", Target.RenderOver(Pair with { Primary = IpFamily.IPv6 }, null));
    }
}
