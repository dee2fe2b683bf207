using System.Text.Json;
using K0sNodeIp.Modes;

namespace K0sNodeIp.Tests.Check;

public sealed class CheckWithoutUnitTests : IDisposable
{
    private readonly string _units = Directory.CreateTempSubdirectory("k0snip-no-unit").FullName;

    [Fact]
    public void Check_on_a_node_without_the_k0s_unit_is_unknown_naming_the_unit_and_says_the_file_does_not_exist()
    {
        var stdout = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--check", "--json", $"--Target:UnitDirectory={_units}", "--Detection:StaticIPv4=192.0.2.10",
            "--Detection:StaticIPv6=2001:db8::10", "--Metrics:TextfilePath="], stdout, new StringWriter());

        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(3, exit);
        Assert.Equal("unknown", root.GetProperty("status").GetString());
        var summary = root.GetProperty("summary").GetString()!;
        Assert.Contains($"{Path.Combine(_units, "k0sworker.service")}, which does not exist", summary, StringComparison.Ordinal);
        // Each path once: the drop-in it would read, the unit it derives from.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(summary, System.Text.RegularExpressions.Regex.Escape(Path.Combine(_units, "k0sworker.service.d"))));
        Assert.False(root.GetProperty("target").GetProperty("readable").GetBoolean());
        Assert.False(root.GetProperty("target").GetProperty("exists").GetBoolean());
    }

    public void Dispose() => Directory.Delete(_units, recursive: true);
}
