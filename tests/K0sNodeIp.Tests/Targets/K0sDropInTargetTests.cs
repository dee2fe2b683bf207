using System.Net;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Targets;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Targets;

public sealed class K0sDropInTargetTests : IDisposable
{
    private static readonly NodeIpPair Pair = new(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"), IpFamily.IPv4);
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-units").FullName;

    [Fact]
    public void Node_ip_joins_the_existing_kubelet_extra_args_escaped_as_k0s_writes_them()
    {
        var target = Install("k0sworker-extra-args.service");

        var content = target.RenderOver(Pair, null);

        Assert.Contains("[Service]\nExecStart=\nExecStart=/usr/local/bin/k0s worker --data-dir=/var/lib/k0s "
            + "--kubelet-extra-args=--max-pods=250\\x20--v=2\\x20--node-ip=192.0.2.10,2001:db8::10 --token-file=/etc/k0s/k0stoken\n", content, StringComparison.Ordinal);
        Assert.Equal("192.0.2.10,2001:db8::10", target.NodeIpOf(content));
        Assert.Equal(Path.Combine(_dir, "k0sworker.service.d", "50-k0s-node-ip.conf"), target.Path);
    }

    [Fact]
    public void Unit_without_kubelet_extra_args_gets_the_option_added()
    {
        var target = Install("k0sworker-plain.service");

        var words = ExecStartWords(target.RenderOver(Pair, null));

        Assert.Equal(["/usr/local/bin/k0s", "worker", "--token-file=/etc/k0s/k0stoken", "--config=/etc/k0s/k0s.yaml", "--kubelet-extra-args=--node-ip=192.0.2.10,2001:db8::10"], words);
    }

    [Fact]
    public void Unicode_escapes_and_utf8_text_in_the_unit_round_trip_as_utf8()
    {
        // systemd reads unit files as UTF-8: \u2603 and a literal é must reach k0s as those characters.
        File.WriteAllBytes(Path.Combine(_dir, "k0sworker.service"), System.Text.Encoding.UTF8.GetBytes(
            "[Service]\nExecStart=/usr/local/bin/k0s worker --labels=icon=\\u2603,name=caf\\u00e9 --kubelet-extra-args=--node-labels=owner=Zoë\n"));
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", Path.Combine(_dir, "none.yaml"));

        PipelineWrites.WriteIfChanged(target.Path, target.RenderOver(Pair, null), createDirectory: true);

        var written = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(target.Path));
        Assert.Contains("--labels=icon=☃,name=café --kubelet-extra-args=--node-labels=owner=Zoë\\x20--node-ip=192.0.2.10,2001:db8::10", written, StringComparison.Ordinal);
        Assert.DoesNotContain("?", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_node_ip_is_replaced_in_place()
    {
        var target = Install("k0sworker-node-ip.service");

        var words = ExecStartWords(target.RenderOver(Pair, null));

        Assert.Equal("--kubelet-extra-args=--node-ip=192.0.2.10,2001:db8::10 --max-pods=250", words[2]);
    }

    [Fact]
    public void Quoted_separate_value_continuation_lines_and_specifiers_round_trip()
    {
        var target = Install("k0sworker-quoted.service");

        var content = target.RenderOver(Pair, null);
        var words = ExecStartWords(content);

        Assert.Equal(["/usr/local/bin/k0s", "worker", "--kubelet-extra-args", "--node-ip=192.0.2.10,2001:db8::10 --cgroup-root=/k0s",
            "--token-file=/etc/k0s/k0s token", "--labels=team=%%a,cost=$$5"], words);
        Assert.Contains("--token-file=/etc/k0s/k0s\\x20token", content, StringComparison.Ordinal);
    }

    [Fact]
    public void With_two_kubelet_extra_args_the_last_one_which_k0s_uses_is_merged()
    {
        var target = Install("k0sworker-two.service");

        var words = ExecStartWords(target.RenderOver(Pair, null));

        Assert.Equal("--kubelet-extra-args=--v=1", words[2]);
        Assert.Equal("--kubelet-extra-args=--v=2 --max-pods=10 --node-ip=192.0.2.10,2001:db8::10", words[3]);
    }

    [Fact]
    public void Missing_unit_file_is_the_unit_absent_state_with_a_clear_message()
    {
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);

        // A state the agent waits out (issue 24), not a failure: its own exception type, still a TargetException.
        var error = Assert.Throws<UnitAbsentException>(() => target.RenderOver(Pair, null));

        Assert.Contains("k0sworker.service does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_upgrade_is_followed_on_the_next_render()
    {
        var target = Install("k0sworker-plain.service");
        var before = target.RenderOver(Pair, null);

        File.WriteAllText(target.UnitPath, Fixture.Text("units/k0sworker-extra-args.service"));

        Assert.NotEqual(before, target.RenderOver(Pair, before));
        Assert.Contains("--max-pods=250", target.RenderOver(Pair, before), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec:\n  network:\n    primaryAddressFamily: IPv6\n", IpFamily.IPv6)]
    [InlineData("spec:\n  api:\n    externalAddress: 2001:db8::1\n    address: 192.0.2.1\n", IpFamily.IPv6)]
    [InlineData("spec:\n  api:\n    address: 2001:db8::1\n", IpFamily.IPv6)]
    [InlineData("spec:\n  api:\n    externalAddress: k0s.example.com\n    address: 2001:db8::1\n", IpFamily.IPv4)]
    [InlineData("spec:\n  network:\n    primaryAddressFamily: IPv4\n  api:\n    address: 2001:db8::1\n", IpFamily.IPv4)]
    [InlineData("apiVersion: k0s.k0sproject.io/v1beta1\n", IpFamily.IPv4)]
    public void Primary_family_follows_k0s_rules_from_the_config_the_unit_names(string yaml, IpFamily expected)
    {
        var config = Path.Combine(_dir, "k0s.yaml");
        File.WriteAllText(config, yaml);
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), $"[Service]\nExecStart=/usr/local/bin/k0s worker -c {config}\n");
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);

        Assert.Equal(expected, target.DefaultPrimaryFamily(target.InputsOnDisk()).Family);
    }

    [Fact]
    public void Bad_k0s_config_named_by_the_unit_is_named_in_the_error_and_listed_as_read()
    {
        var config = Path.Combine(_dir, "k0s.yaml");
        File.WriteAllText(config, "spec:\n  network:\n primaryAddressFamily: [\n");
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), $"[Service]\nExecStart=/usr/local/bin/k0s worker --config={config}\n");
        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", null);

        var error = Assert.Throws<TargetException>(() => target.DefaultPrimaryFamily(target.InputsOnDisk()));

        Assert.StartsWith($"{config}: k0s config is not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal([config], target.PrimaryFamilyFiles(target.InputsOnDisk()));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, "--node-ip=192.0.2.10", "IPv4")]
    [InlineData(null, "--node-ip=192.0.2.10,2001:db8::10", "IPv4,IPv6")]
    [InlineData("spec:\n  network:\n    dualStack:\n      enabled: true\n", null, "IPv4,IPv6")]
    [InlineData("spec:\n  network:\n    dualStack:\n      enabled: true\n", "--node-ip=192.0.2.10", "IPv4,IPv6")]
    [InlineData("spec:\n  network:\n    dualStack:\n      enabled: false\n", "--node-ip=2001:db8::10", "IPv6")]
    [InlineData("spec: [not: valid", "--node-ip=192.0.2.10", "IPv4")]
    public void Start_expects_the_families_the_drop_in_holds_and_those_k0s_dual_stack_asks_for(string? config, string? nodeIp, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), Fixture.Text("units/k0sworker-plain.service"));
        var configPath = Path.Combine(_dir, "k0s.yaml");
        if (config is not null)
        {
            File.WriteAllText(configPath, config);
        }

        var target = new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", configPath);
        var current = nodeIp is null ? null : target.RenderOver(NodeIpPair.Parse(nodeIp["--node-ip=".Length..])!, null);

        Assert.Equal(expected, string.Join(',', target.ExpectedFamilies(target.InputsWith(current)).Order()));
    }

    [Theory]
    [InlineData("192.0.2.10,2001:db8::10", "192.0.2.10", "2001:db8::10", IpFamily.IPv4)]
    [InlineData("2001:db8::10,192.0.2.10", "192.0.2.10", "2001:db8::10", IpFamily.IPv6)]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10", null, IpFamily.IPv4)]
    public void Node_ip_value_parses_into_its_pair(string value, string? ipv4, string? ipv6, IpFamily primary)
    {
        var pair = NodeIpPair.Parse(value)!;

        Assert.Equal(ipv4, pair.Ipv4?.ToString());
        Assert.Equal(ipv6, pair.Ipv6?.ToString());
        Assert.Equal(primary, pair.Primary);
    }

    [Theory]
    [InlineData("")]
    [InlineData("node1")]
    [InlineData("192.0.2.10,")]
    public void Value_that_is_not_an_address_pair_parses_to_nothing(string value) => Assert.Null(NodeIpPair.Parse(value));

    private K0sDropInTarget Install(string fixture)
    {
        File.WriteAllText(Path.Combine(_dir, "k0sworker.service"), Fixture.Text("units/" + fixture));
        return new K0sDropInTarget(_dir, "k0sworker", "50-k0s-node-ip.conf", Path.Combine(_dir, "absent-k0s.yaml"));
    }

    private static IReadOnlyList<string> ExecStartWords(string dropIn) =>
        SystemdCommandLine.Parse(UnitFile.ExecStart(dropIn, "drop-in")).Words;
}
