using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using NSubstitute;

namespace K0sNodeIp.Tests.Sources;

/// <summary>The second lookup, as a static kubelet would make it: only after a cgo kubelet's lookup went to glibc.</summary>
public sealed class SystemHostLookupTests : IDisposable
{
    private static readonly KubeletBuild Dynamic = new(false, "kubelet /usr/bin/kubelet is dynamically linked (built with cgo)");
    private static readonly HostLookupResult AskedGlibc = new(LookupMethod.Getaddrinfo, [IPAddress.Parse("198.51.100.7")])
    {
        Resolver = new ResolverChoice(HostLookupOrder.Glibc, "glibc"),
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("k0snip-lookup").FullName;

    public SystemHostLookupTests()
    {
        File.WriteAllText(Path.Combine(_folder, "nsswitch.conf"), "hosts: files myhostname dns\n");
        File.WriteAllText(Path.Combine(_folder, "hosts"), "127.0.0.1 localhost\n192.0.2.5 node1\n");
        File.WriteAllText(Path.Combine(_folder, "resolv.conf"), "nameserver 127.0.0.1\n");
    }

    [Fact]
    public async Task Glibc_answer_of_a_cgo_kubelet_is_looked_up_again_with_gos_resolver()
    {
        var again = await Lookup(ResolverMode.Auto).LookupAsStaticKubeletAsync("node1", AskedGlibc, CancellationToken.None);

        Assert.NotNull(again);
        Assert.Equal(LookupMethod.HostsFile, again.Method);
        Assert.Equal([IPAddress.Parse("192.0.2.5")], again.Answers);
        Assert.Equal(HostLookupOrder.FilesDns, again.Resolver?.Order);
        Assert.StartsWith("a static kubelet (upstream 1.38+): Go's resolver", again.Resolver?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_second_lookup_when_go_answered_or_the_resolver_was_forced()
    {
        var askedGo = AskedGlibc with { Resolver = new ResolverChoice(HostLookupOrder.FilesDns, "Go") };

        Assert.Null(await Lookup(ResolverMode.Auto).LookupAsStaticKubeletAsync("node1", askedGo, CancellationToken.None));
        Assert.Null(await Lookup(ResolverMode.Glibc).LookupAsStaticKubeletAsync("node1", AskedGlibc, CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SystemHostLookup Lookup(ResolverMode mode) => new(
        mode,
        DnsSettings.Default,
        Substitute.For<ISourceAddressProbe>(),
        _ => Dynamic,
        Path.Combine(_folder, "nsswitch.conf"),
        Path.Combine(_folder, "resolv.conf"),
        Path.Combine(_folder, "hosts"));
}
