using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Hardening;

/// <summary>
/// Each bad configuration makes the real program exit 78 with a message naming the key and the value,
/// before it touches any file: the target folder stays empty.
/// </summary>
[Collection(Integration.IntegrationCollection.Name)]
public sealed class BadConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-badconfig").FullName;

    public static TheoryData<string, string, string[]> Corpus => new()
    {
        { "malformed JSON", """{ "Detection": { "StaticIPv4": "192.0.2.1" """, ["config.json"] },
        { "JSON array at the top", """[ 1, 2 ]""", ["config.json"] },
        { "unknown key (typo of an override)", """{ "Detection": { "StaticIpV4x": "192.0.2.1" } }""", ["Detection:StaticIpV4x"] },
        { "unknown section", """{ "Detektion": { } }""", ["Detektion"] },
        { "wrong type for a number", """{ "Reload": { "Attempts": "many" } }""", ["Reload:Attempts", "many"] },
        { "wrong type for a duration", """{ "Watch": { "Debounce": "soon" } }""", ["Watch:Debounce", "soon"] },
        { "bad IPv4", """{ "Detection": { "StaticIPv4": "192.0.2.300" } }""", ["Detection:StaticIPv4", "192.0.2.300"] },
        { "IPv6 given as IPv4", """{ "Detection": { "StaticIPv4": "2001:db8::1" } }""", ["Detection:StaticIPv4", "2001:db8::1"] },
        { "loopback static address", """{ "Detection": { "StaticIPv6": "::1" } }""", ["Detection:StaticIPv6", "::1"] },
        { "bad CIDR", """{ "Detection": { "AllowedCidrs": [ "10.0.0.0/8", "10.0.0.0/40" ] } }""", ["Detection:AllowedCidrs:1", "10.0.0.0/40"] },
        { "bad regex", """{ "Detection": { "Interface": "eth(0" } }""", ["Detection:Interface", "eth(0"] },
        { "bad skip regex", """{ "Detection": { "SkipInterfaces": [ "[veth" ] } }""", ["Detection:SkipInterfaces:0", "[veth"] },
        { "unknown family", """{ "Detection": { "PrimaryFamily": "IPv5" } }""", ["Detection:PrimaryFamily", "IPv5"] },
        { "unknown source", """{ "Detection": { "Sources": [ "Hostname", "Mdns" ] } }""", ["Detection:Sources:1", "Mdns"] },
        { "unknown resolver", """{ "Detection": { "Resolver": "systemd" } }""", ["Detection:Resolver", "systemd"] },
        { "negative duration", """{ "Watch": { "Debounce": "-00:00:01" } }""", ["Watch:Debounce", "-00:00:01"] },
        { "absurd duration", """{ "Reload": { "MinInterval": "400.00:00:00" } }""", ["Reload:MinInterval", "400.00:00:00"] },
        { "zero safety interval", """{ "Watch": { "SafetyInterval": "00:00:00" } }""", ["Watch:SafetyInterval", "00:00:00"] },
        { "too many DNS attempts", """{ "Detection": { "DnsAttempts": 50 } }""", ["Detection:DnsAttempts", "50"] },
        { "unknown target kind", """{ "Target": { "Kind": "kubeadmm" } }""", ["Target:Kind", "kubeadmm"] },
        { "unit name with a path", """{ "Target": { "Unit": "../../etc/passwd" } }""", ["Target:Unit", "../../etc/passwd"] },
        { "unit of another type", """{ "Target": { "Unit": "k0sworker.socket" } }""", ["Target:Unit", "k0sworker.socket"] },
        { "unit name with a space", """{ "Target": { "Unit": "k0s worker" } }""", ["Target:Unit", "k0s worker"] },
        { "template unit without instance", """{ "Target": { "Unit": "kubelet@.service" } }""", ["Target:Unit", "kubelet@.service"] },
        { "relative target path", """{ "Target": { "Kind": "file", "Path": "node-ip" } }""", ["Target:Path", "node-ip"] },
        { "file target without path", """{ "Target": { "Kind": "file" } }""", ["Target:Path"] },
        { "template without placeholder", """{ "Target": { "Kind": "file", "Path": "/tmp/x", "Template": "NODE_IP=fixed" } }""", ["Target:Template", "NODE_IP=fixed"] },
        { "drop-in name without .conf", """{ "Target": { "DropInName": "50-node-ip" } }""", ["Target:DropInName", "50-node-ip"] },
        { "unknown reload mode", """{ "Reload": { "Mode": "reboot" } }""", ["Reload:Mode", "reboot"] },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Bad_configuration_exits_78_naming_key_and_value_and_touches_nothing(string what, string json, string[] mentioned)
    {
        var config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, json);
        var target = Path.Combine(_dir, "target");
        Directory.CreateDirectory(target);

        var result = ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once", "--config", config,
            $"--Target:UnitDirectory={target}", $"--Target:EnvironmentFile={target}/kubelet"], check: false);

        Assert.True(result.ExitCode == 78, $"{what}: exit {result.ExitCode}\n{result.Stderr}");
        foreach (var text in mentioned)
        {
            Assert.Contains(text, result.Stderr, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
