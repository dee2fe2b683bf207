using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Targets;

public sealed class K0sConfigVirtualIpsTests
{
    [Fact]
    public void Keepalived_vrrp_virtual_ips_and_virtual_servers_are_read_with_their_keys()
    {
        const string Config = """
            spec:
              network:
                controlPlaneLoadBalancing:
                  enabled: true
                  type: Keepalived
                  keepalived:
                    vrrpInstances:
                    - virtualIPs: ["192.0.2.100/24", "2001:db8::100/64"]
                      authPass: secret
                    virtualServers:
                    - ipAddress: "192.0.2.101"
            """;

        var vips = K0sConfigFile.VirtualIps(new StringReader(Config));

        Assert.Equal(["192.0.2.100", "2001:db8::100", "192.0.2.101"], vips.Select(v => v.Address.ToString()));
        Assert.Equal("spec.network.controlPlaneLoadBalancing.keepalived.vrrpInstances[0].virtualIPs[1]", vips[1].Origin);
        Assert.Equal("spec.network.controlPlaneLoadBalancing.keepalived.virtualServers[0].ipAddress", vips[2].Origin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("spec:\n  network: {}\n")]
    [InlineData("spec:\n  network:\n    controlPlaneLoadBalancing:\n      keepalived:\n        vrrpInstances: [{virtualIPs: [\"not-an-ip/24\"]}]\n")]
    public void Config_without_virtual_ips_names_none(string config) =>
        Assert.Empty(K0sConfigFile.VirtualIps(new StringReader(config)));
}
