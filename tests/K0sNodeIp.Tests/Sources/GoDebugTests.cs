using K0sNodeIp.Node;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

/// <summary>GODEBUG's netdns as Go reads it: the last netdns setting wins, and its mode part is "go" or "cgo".</summary>
public sealed class GoDebugTests
{
    [Theory]
    [InlineData("netdns=go", GoDebugNetDns.Go)]
    [InlineData("netdns=cgo", GoDebugNetDns.Cgo)]
    [InlineData("netdns=1", GoDebugNetDns.Unset)]
    [InlineData("netdns=go+1", GoDebugNetDns.Go)]
    [InlineData("netdns=cgo+2", GoDebugNetDns.Cgo)]
    [InlineData("netdns=2+cgo", GoDebugNetDns.Cgo)]
    [InlineData("netdns=go+cgo", GoDebugNetDns.Cgo)]
    [InlineData("netdns=cgo+go", GoDebugNetDns.Go)]
    [InlineData("netdns=native", GoDebugNetDns.Unset)]
    [InlineData("http2debug=1,netdns=go", GoDebugNetDns.Go)]
    [InlineData("netdns=go,http2debug=1,netdns=cgo", GoDebugNetDns.Cgo)]
    [InlineData("netdns=cgo,netdns=", GoDebugNetDns.Unset)]
    [InlineData("xnetdns=go", GoDebugNetDns.Unset)]
    [InlineData(" netdns=go", GoDebugNetDns.Unset)]
    [InlineData("", GoDebugNetDns.Unset)]
    public void Netdns_mode_is_read_as_go_reads_it(string godebug, GoDebugNetDns expected)
    {
        Assert.Equal(expected, GoDebug.NetDnsMode(GoDebug.NetDnsValue(godebug)));
    }

    [Fact]
    public void Netdns_value_is_kept_whole_for_the_reason()
    {
        Assert.Equal("cgo+2", GoDebug.NetDnsValue("madvdontneed=1,netdns=cgo+2"));
        Assert.Null(GoDebug.NetDnsValue("madvdontneed=1"));
    }
}
