using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Targets;

public sealed class KubeletArgsTests
{
    [Theory]
    [InlineData("", "--node-ip=a")]
    [InlineData("--v=2", "--v=2 --node-ip=a")]
    [InlineData("--node-ip=old --v=2", "--node-ip=a --v=2")]
    [InlineData("--v=2 --node-ip old --max-pods=3", "--v=2 --node-ip=a --max-pods=3")]
    [InlineData("--node-ip=x --v=2 --node-ip=y", "--node-ip=a --v=2")]
    [InlineData("  --v=2   --x  ", "--v=2 --x --node-ip=a")]
    public void Merge_replaces_every_node_ip_and_keeps_the_rest(string before, string expected)
    {
        Assert.Equal(expected, KubeletArgs.Merge(before, "--node-ip=a"));
    }

    [Theory]
    [InlineData("--v=2 --node-ip=1.2.3.4", "1.2.3.4")]
    [InlineData("--node-ip 1.2.3.4 --node-ip=5.6.7.8", "5.6.7.8")]
    [InlineData("--v=2", null)]
    public void Node_ip_reads_the_last_value(string args, string? expected)
    {
        Assert.Equal(expected, KubeletArgs.NodeIp(args));
    }
}
