using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Sources;

public sealed class RouteFileParserTests
{
    [Fact]
    public void Ipv4_default_route_is_read_in_little_endian_byte_order()
    {
        using var reader = Fixture.Open("routes/gatewayfirst");

        var routes = RouteFileParser.ParseIpv4(reader);

        var route = Assert.Single(routes);
        Assert.Equal("eth3", route.Interface);
        Assert.Equal(IPAddress.Parse("10.254.0.1"), route.Gateway);
        Assert.Equal(IpFamily.IPv4, route.Family);
    }

    [Fact]
    public void Ipv4_default_route_is_found_wherever_it_is_in_the_file()
    {
        using var reader = Fixture.Open("routes/gatewaylast");

        var route = Assert.Single(RouteFileParser.ParseIpv4(reader));

        Assert.Equal("eth3", route.Interface);
    }

    [Fact]
    public void Mask_and_metric_are_ignored_and_file_order_is_kept_as_kubelet_does()
    {
        using var reader = Fixture.Open("routes/vpnhalfdefault");

        var routes = RouteFileParser.ParseIpv4(reader);

        // wg0's 0.0.0.0/1 half-default counts as a default, and it comes first; 128.0.0.0/1 does not.
        Assert.Equal(["wg0", "eth0", "eth1"], routes.Select(r => r.Interface));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), routes[1].Gateway);
        Assert.Equal(IPAddress.Parse("198.51.100.1"), routes[2].Gateway);
    }

    [Fact]
    public void A_last_line_without_newline_is_not_read_as_gos_ReadString_loop_does_not()
    {
        using var reader = Fixture.Open("routes/nonewlineatend");

        Assert.Empty(RouteFileParser.ParseIpv4(reader));
    }

    [Theory]
    [InlineData("routes/badgateway", 2)]
    [InlineData("routes/badhex", 2)]
    [InlineData("routes/shortline", 2)]
    public void Malformed_ipv4_lines_give_a_format_error_naming_the_line(string fixture, int line)
    {
        using var reader = Fixture.Open(fixture);

        var error = Assert.Throws<RouteFileFormatException>(() => RouteFileParser.ParseIpv4(reader, "route"));

        Assert.Equal(line, error.LineNumber);
        Assert.Equal("route", error.File);
    }

    [Fact]
    public void Ipv6_defaults_without_next_hop_are_skipped_and_prefix_length_is_not_checked()
    {
        using var reader = Fixture.Open("routes/v6gatewayfirst");

        var routes = RouteFileParser.ParseIpv6(reader);

        Assert.Equal(["eth3", "eth4"], routes.Select(r => r.Interface));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), routes[0].Gateway);
        Assert.All(routes, r => Assert.Equal(IpFamily.IPv6, r.Family));
    }

    [Fact]
    public void Ipv6_file_without_default_routes_gives_none()
    {
        using var reader = Fixture.Open("routes/v6nodefaultroutes");

        Assert.Empty(RouteFileParser.ParseIpv6(reader));
    }

    // Verbatim /proc/net/ipv6_route of a namespace node with eth0 (a veth, 2001:db8::5/64) and nothing else, then with
    // "ip -6 route add blackhole default", "unreachable default", "default dev eth0". Every node lists the kernel's
    // null entry "::/0 via :: metric ffffffff, flags 00200200 (RTF_REJECT), dev lo", once per table: no route at all.
    [Theory]
    [InlineData("routes/v6nodefault-kernelnullentries", false, null)]
    [InlineData("routes/v6blackholedefault", true, null)]
    [InlineData("routes/v6unreachabledefault", true, null)]
    [InlineData("routes/v6devicedefault", false, "eth0")]
    public void Kernel_null_entries_reject_routes_and_device_only_defaults_are_told_apart(string fixture, bool reject, string? withoutGateway)
    {
        var table = RouteFileParser.ToTable(new RouteFileTexts(
            RouteFileParser.Ipv4File, File.ReadAllText(Fixture.PathOf("routes/gatewayfirst")), RouteFileParser.Ipv6File, File.ReadAllText(Fixture.PathOf(fixture))));

        Assert.Null(table.Error);
        Assert.Empty(table.Of(IpFamily.IPv6));
        Assert.Equal(reject, table.Ipv6RejectDefault);
        Assert.Equal(withoutGateway is null ? [] : [withoutGateway], table.Ipv6DefaultDevicesWithoutGateway);
    }

    [Fact]
    public void Ipv6_gateway_of_the_wrong_length_is_a_format_error()
    {
        using var reader = Fixture.Open("routes/v6badgateway");

        var error = Assert.Throws<RouteFileFormatException>(() => RouteFileParser.ParseIpv6(reader));

        Assert.Equal(1, error.LineNumber);
    }

    [Fact]
    public void Missing_ipv6_route_file_is_not_an_error()
    {
        var table = RouteFileParser.ReadTable(Fixture.PathOf("routes/gatewayfirst"), Fixture.PathOf("routes/does-not-exist"));

        Assert.Null(table.Error);
        Assert.Single(table.Routes);
    }

    [Fact]
    public void Missing_ipv4_route_file_asks_for_kubelets_interface_scan()
    {
        var table = RouteFileParser.ReadTable(Fixture.PathOf("routes/does-not-exist"), Fixture.PathOf("routes/v6gatewayfirst"));

        Assert.True(table.Ipv4RouteFileMissing);
        Assert.Empty(table.Routes);
    }

    [Fact]
    public void No_default_route_in_either_file_is_an_error_as_in_kubelet()
    {
        var table = RouteFileParser.ReadTable(Fixture.PathOf("routes/nonewlineatend"), Fixture.PathOf("routes/v6nodefaultroutes"));

        Assert.Empty(table.Routes);
        Assert.StartsWith("no default routes found", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_file_is_reported_in_the_table_not_thrown()
    {
        var table = RouteFileParser.ReadTable(Fixture.PathOf("routes/badhex"), Fixture.PathOf("routes/v6gatewayfirst"));

        Assert.Empty(table.Routes);
        Assert.Contains("line 2", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_files_together_list_ipv4_then_ipv6()
    {
        var table = RouteFileParser.ReadTable(Fixture.PathOf("routes/gatewayfirst"), Fixture.PathOf("routes/v6gatewayfirst"));

        Assert.Equal([IpFamily.IPv4, IpFamily.IPv6, IpFamily.IPv6], table.Routes.Select(r => r.Family));
    }
}
