using System.Net;
using System.Text.Json;
using K0sNodeIp.Tests.Support;
using static K0sNodeIp.Tests.Support.FakeDnsServer;

namespace K0sNodeIp.Tests.Integration;

/// <summary>
/// The same answer as the kubelet binary this node runs, in network namespaces: the resolver it would use (static vs
/// cgo kubelet, nsswitch's myhostname), the resolver's own timeouts, and the pair --print shows being the one
/// --once writes.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubeletFidelityTests
{
    [RootFact]
    public void Nameserver_answering_after_3_seconds_is_waited_for_as_kubelet_waits()
    {
        using var node = TestNode.DualStack();
        using var server = new FakeDnsServer(node.Name, Behavior.SlowAnswer, IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"));

        var (_, json, _) = node.Print("node1");

        Assert.Equal("192.0.2.10", json.GetProperty("ipv4").GetString());
        Assert.Equal("2001:db8::10", json.GetProperty("ipv6").GetString());
        var dns = json.GetProperty("lookup").GetProperty("dns");
        Assert.Equal(5, dns.GetProperty("timeoutSeconds").GetDouble());
        Assert.Equal("Go's default", dns.GetProperty("timeoutSource").GetString());
    }

    [RootFact]
    public void Myhostname_in_nsswitch_is_not_consulted_for_k0s_but_is_for_a_cgo_kubelet()
    {
        // eth1 comes first (lower index) and is not the default-route interface; there is no DNS record.
        using var node = new TestNode();
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.WriteEtc("nsswitch.conf", "hosts: files myhostname dns\n");
        node.StartDns();
        var dynamic = CompileKubelet(node, isStatic: false);

        var (_, k0s, _) = node.Print("node1");
        var (_, cgo, _) = node.Print("node1", "--Target:Kind=kubeadm", $"--Target:EnvironmentFile=/tmp/{node.Name}-kubelet", $"--Detection:KubeletBinary={dynamic}");

        // k0s's static kubelet: Go's resolver, the hosts file and DNS have nothing, so the default route decides.
        Assert.Equal("192.0.2.5", k0s.GetProperty("ipv4").GetString());
        Assert.Equal("Go", k0s.GetProperty("lookup").GetProperty("resolver").GetString());
        Assert.Equal("k0s runs a static kubelet: Go's resolver; nsswitch.conf's myhostname is not consulted", k0s.GetProperty("lookup").GetProperty("resolverReason").GetString());

        // A cgo-built kubelet asks glibc, whose myhostname module answers with eth1's address first.
        Assert.Equal("glibc", cgo.GetProperty("lookup").GetProperty("resolver").GetString());
        Assert.Equal("getaddrinfo", cgo.GetProperty("lookup").GetProperty("method").GetString());
        Assert.Equal("198.51.100.7", cgo.GetProperty("ipv4").GetString());
    }

    [RootFact]
    public void Cgo_kubelet_asking_glibc_is_shown_the_pair_a_static_kubelet_would_pick_unless_godebug_forces_go()
    {
        // As above: glibc's myhostname answers with eth1's address, Go's resolver has nothing, the default route gives eth0's.
        using var node = new TestNode();
        node.AddLink("eth1");
        node.Ip("addr", "add", "198.51.100.7/24", "dev", "eth1");
        node.AddLink("eth0");
        node.Ip("addr", "add", "192.0.2.5/24", "dev", "eth0");
        node.Ip("route", "add", "default", "via", "192.0.2.1");
        node.WriteEtc("nsswitch.conf", "hosts: files myhostname dns\n");
        node.StartDns();
        var dynamic = CompileKubelet(node, isStatic: false);
        var units = Path.Combine(Path.GetTempPath(), node.Name + "-units");
        Directory.CreateDirectory(units);
        node.OnDispose(() => Directory.Delete(units, recursive: true));
        File.WriteAllText(Path.Combine(units, "kubelet.service"), $"[Service]\nExecStart={dynamic} $KUBELET_EXTRA_ARGS\n");
        string[] kubeadm = ["--Target:Kind=kubeadm", $"--Target:EnvironmentFile=/tmp/{node.Name}-kubelet", $"--Target:UnitDirectory={units}"];

        var (_, cgo, _) = node.Print("node1", kubeadm);

        Assert.Equal("glibc", cgo.GetProperty("lookup").GetProperty("resolver").GetString());
        Assert.Equal("198.51.100.7", cgo.GetProperty("ipv4").GetString());
        var upgrade = cgo.GetProperty("staticKubelet");
        Assert.Equal("after an upgrade to a static kubelet (upstream 1.38+, Go's resolver) the pair would be 192.0.2.5 instead of 198.51.100.7", upgrade.GetProperty("note").GetString());
        Assert.Equal("192.0.2.5", upgrade.GetProperty("nodeIp").GetString());
        Assert.True(upgrade.GetProperty("changes").GetBoolean());
        Assert.Equal("Go", upgrade.GetProperty("lookup").GetProperty("resolver").GetString());

        // GODEBUG=netdns=go in a drop-in: the cgo kubelet already uses Go's resolver, so no upgrade changes anything.
        Directory.CreateDirectory(Path.Combine(units, "kubelet.service.d"));
        File.WriteAllText(Path.Combine(units, "kubelet.service.d", "20-dns.conf"), "[Service]\nEnvironment=\"GODEBUG=netdns=go\"\n");

        var (_, forced, _) = node.Print("node1", kubeadm);

        Assert.Equal("Go", forced.GetProperty("lookup").GetProperty("resolver").GetString());
        Assert.Equal($"kubelet {dynamic} (ExecStart of {Path.Combine(units, "kubelet.service")}) is dynamically linked (built with cgo), but GODEBUG=netdns=go in kubelet.service's Environment= ({Path.Combine(units, "kubelet.service.d", "20-dns.conf")}): Go's resolver; nsswitch.conf's myhostname is not consulted", forced.GetProperty("lookup").GetProperty("resolverReason").GetString());
        Assert.Equal("192.0.2.5", forced.GetProperty("ipv4").GetString());
        Assert.False(forced.TryGetProperty("staticKubelet", out _));
    }

    [RootFact]
    public void Static_kubelet_binary_of_a_kubeadm_node_means_gos_resolver()
    {
        using var node = TestNode.DualStack();
        node.WriteEtc("nsswitch.conf", "hosts: files myhostname dns\n");
        node.StartDns("node1,192.0.2.10,2001:db8::10");
        var staticKubelet = CompileKubelet(node, isStatic: true);

        var (_, json, _) = node.Print("node1", "--Target:Kind=kubeadm", $"--Target:EnvironmentFile=/tmp/{node.Name}-kubelet", $"--Detection:KubeletBinary={staticKubelet}");

        Assert.Equal("dns", json.GetProperty("lookup").GetProperty("method").GetString());
        Assert.StartsWith($"kubelet {staticKubelet} (Detection:KubeletBinary) is a static binary: Go's resolver", json.GetProperty("lookup").GetProperty("resolverReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("192.0.2.10", json.GetProperty("ipv4").GetString());
    }

    [RootFact]
    public void Ipv6_primary_k0s_controller_prints_the_flag_once_writes()
    {
        using var node = TestNode.DualStack();
        node.StartDns("node1,192.0.2.10,2001:db8::10");
        var units = Directory.CreateTempSubdirectory("k0snip-units").FullName;
        try
        {
            var config = Path.Combine(units, "k0s.yaml");
            File.WriteAllText(config, "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  network:\n    primaryAddressFamily: IPv6\n");
            File.WriteAllText(Path.Combine(units, "k0scontroller.service"), $"[Service]\nExecStart=/usr/local/bin/k0s controller --config={config} --enable-worker\n");
            string[] target = ["--Target:UnitDirectory=" + units, "--Target:Unit=k0scontroller", "--Reload:Mode=none", "--Detection:Hostname=node1"];

            var (_, json, _) = node.Print("node1", target);
            node.Exec([.. ProgramUnderTest.Command, "--once", .. target]);

            var dropIn = File.ReadAllText(Path.Combine(units, "k0scontroller.service.d", "50-k0s-node-ip.conf"));
            var flag = json.GetProperty("nodeIpFlag").GetString();
            Assert.Equal("--node-ip=2001:db8::10,192.0.2.10", flag);
            Assert.Contains($"--kubelet-extra-args={flag}", dropIn, StringComparison.Ordinal);
            Assert.Equal($"k0s config {config}: spec.network.primaryAddressFamily", json.GetProperty("primaryFamilySource").GetString());
        }
        finally
        {
            Directory.Delete(units, recursive: true);
        }
    }

    [RootFact]
    public void Interface_override_matching_nothing_exits_1_and_names_the_override()
    {
        using var node = TestNode.DualStack();
        node.StartDns();

        var (exit, json, _) = node.Print("node1", "--Detection:Interface=nonexistent0");

        Assert.Equal(1, exit);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("ipv4").ValueKind);
        Assert.All(json.GetProperty("overrideFailures").EnumerateArray(), f => Assert.StartsWith("Detection:Interface found no usable", f.GetString(), StringComparison.Ordinal));
        Assert.Equal(2, json.GetProperty("overrideFailures").GetArrayLength());
    }

    /// <summary>A one-line C program built static or dynamic, standing in for a kubelet binary.</summary>
    private static string CompileKubelet(TestNode node, bool isStatic)
    {
        var folder = Path.Combine(Path.GetTempPath(), node.Name + "-kubelet");
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "main.c");
        File.WriteAllText(source, "int main(void) { return 0; }\n");
        var binary = Path.Combine(folder, isStatic ? "kubelet-static" : "kubelet");
        ProcessRunner.Run(File.Exists("/usr/bin/cc") ? "cc" : "clang", isStatic ? ["-static", "-o", binary, source] : ["-o", binary, source]);
        node.OnDispose(() => Directory.Delete(folder, recursive: true));
        return binary;
    }
}
