using System.Net;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Sources;

public sealed class ResolverFilesTests
{
    [Fact]
    public void Hosts_file_returns_every_matching_line_in_file_order_ignoring_case_and_comments()
    {
        const string Hosts = """
            127.0.0.1 localhost
            # 192.0.2.1 node1
            fd00:1::10   Node1.example.test node1   # the ULA first
            2001:db8::10 node1
            192.0.2.10 other NODE1
            not-an-ip node1
            """;

        var found = HostsFile.Lookup(new StringReader(Hosts), "NODE1");

        Assert.Equal([IPAddress.Parse("fd00:1::10"), IPAddress.Parse("2001:db8::10"), IPAddress.Parse("192.0.2.10")], found);
    }

    [Fact]
    public void Resolv_conf_gives_servers_search_and_options()
    {
        const string Conf = """
            # comment
            nameserver 10.0.0.53
            nameserver fe80::1%eth0
            domain old.example
            search a.example b.example
            options ndots:2 timeout:3 attempts:4 rotate
            """;

        var conf = ResolvConf.Parse(new StringReader(Conf));

        Assert.Equal([IPAddress.Parse("10.0.0.53"), IPAddress.Parse("fe80::1")], conf.Nameservers);
        Assert.Equal(["a.example.", "b.example."], conf.Search);
        Assert.Equal(2, conf.Ndots);
        Assert.Equal(TimeSpan.FromSeconds(3), conf.Timeout);
        Assert.Equal(4, conf.Attempts);
        Assert.True(conf.Rotate);
    }

    [Fact]
    public void Resolv_conf_without_nameserver_uses_loopback_as_go_and_glibc_do()
    {
        var conf = ResolvConf.Parse(new StringReader("search example.test\n"));

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], conf.Nameservers);
        Assert.Equal(1, conf.Ndots);
    }

    [Fact]
    public void Short_name_tries_search_domains_before_the_bare_name()
    {
        var conf = ResolvConf.Parse(new StringReader("search a.example b.example\n"));

        Assert.Equal(["node1.a.example.", "node1.b.example.", "node1."], conf.NameList("node1"));
    }

    [Fact]
    public void Name_with_ndots_dots_is_tried_as_is_first()
    {
        var conf = ResolvConf.Parse(new StringReader("search a.example\noptions ndots:1\n"));

        Assert.Equal(["node1.corp.", "node1.corp.a.example."], conf.NameList("node1.corp"));
    }

    [Fact]
    public void Rooted_name_is_tried_alone()
    {
        var conf = ResolvConf.Parse(new StringReader("search a.example\n"));

        Assert.Equal(["node1.corp."], conf.NameList("node1.corp."));
    }

    [Theory]
    [InlineData("hosts: files dns\n", "files dns")]
    [InlineData("hosts:          files myhostname dns\n", "files myhostname dns")]
    [InlineData("hosts: files resolve [!UNAVAIL=return] dns\n", "files resolve dns")]
    [InlineData("passwd: files\n", "files dns")]
    public void Nsswitch_hosts_line_gives_its_modules_in_order(string text, string modules)
    {
        Assert.Equal(modules.Split(' '), NsSwitch.HostsModules(new StringReader(text)));
    }

    [Fact]
    public void Nsswitch_criteria_belong_to_the_source_before_them()
    {
        var sources = NsSwitch.HostsSources(new StringReader("hosts: files resolve [!UNAVAIL=return] dns [NOTFOUND=return]\n"));

        Assert.Equal(["files", "resolve", "dns"], sources.Select(s => s.Name));
        Assert.Equal(new NsCriterion(true, "unavail", "return"), Assert.Single(sources[1].Criteria));
        Assert.False(sources[1].HasStandardCriteria());

        // "return" on the last criterion of the last source is what glibc does anyway (Go's standardCriteria).
        Assert.True(sources[2].HasStandardCriteria());
    }
}
