using System.Text;
using K0sNodeIp.Formats;

namespace K0sNodeIp.Tests.Targets;

public sealed class HostileInputTests
{
    [Fact]
    public void Deeply_nested_k0s_config_is_a_clear_error_not_a_stack_overflow()
    {
        // 200,000 levels overflowed the stack of the representation model (SIGSEGV) before the depth was bounded.
        const int Depth = 200_000;
        var yaml = "spec: " + new string('[', Depth) + new string(']', Depth) + "\n";

        var error = Assert.Throws<TargetException>(() => K0sConfigFile.PrimaryFamilyAndKey(new StringReader(yaml)));

        Assert.Contains($"deeper than {K0sConfigFile.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_k0s_config_is_a_clear_error_for_the_virtual_ip_rule_too()
    {
        const int Depth = 200_000;
        var yaml = "spec: " + new string('[', Depth) + new string(']', Depth) + "\n";

        var error = Assert.Throws<TargetException>(() => K0sConfigFile.VirtualIps(new StringReader(yaml)));

        Assert.Contains($"deeper than {K0sConfigFile.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billion laughs")]
    [InlineData("cycle")]
    public void K0s_config_with_aliases_is_refused_before_it_is_expanded(string shape)
    {
        // A chain of 30 aliases, each doubling the one before, used as a mapping key, hung detection; a cyclic alias
        // crashed the process (SIGSEGV). Both are refused by the event pass, before the representation model sees them.
        var yaml = shape == "cycle" ? "spec:\n  ? &a [*a]\n  : x\n" : BillionLaughs(30);

        foreach (var rule in new Func<string, object>[] { y => K0sConfigFile.PrimaryFamilyAndKey(new StringReader(y)), y => K0sConfigFile.VirtualIps(new StringReader(y)), y => K0sConfigFile.DualStackEnabled(new StringReader(y)) })
        {
            var error = Assert.Throws<TargetException>(() => rule(yaml));
            Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Config_nested_as_deep_as_the_bound_is_still_read()
    {
        // The document mapping and spec are two levels; the sequences fill the rest up to the bound.
        var yaml = new StringBuilder("spec:\n  network:\n    primaryAddressFamily: IPv6\n  x: ");
        yaml.Append('[', K0sConfigFile.MaxDepth - 2).Append(']', K0sConfigFile.MaxDepth - 2).Append('\n');

        Assert.Equal(K0sNodeIp.Node.IpFamily.IPv6, K0sConfigFile.PrimaryFamilyAndKey(new StringReader(yaml.ToString())).Family);
    }

    [Fact]
    public void Continuation_lines_are_joined_in_linear_work()
    {
        // Allocation, not time: joining by string concatenation copied the line so far at each continuation, so twice
        // the lines cost four times the bytes; one builder costs twice.
        AllocatedJoining(100);
        var small = AllocatedJoining(2_000);
        var large = AllocatedJoining(4_000);

        Assert.InRange((double)large / small, 1.5, 2.5);
    }

    [Fact]
    public void Continuation_lines_join_as_systemd_joins_them()
    {
        Assert.Equal(["ExecStart=/usr/local/bin/k0s worker   --debug  ", "[Install]"], UnitFile.LogicalLines("ExecStart=/usr/local/bin/k0s worker \\\n --debug \\\n\n[Install]").Take(2));
    }

    private static string BillionLaughs(int levels)
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol]\n");
        for (var i = 1; i < levels; i++)
        {
            yaml.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }

        return yaml.Append($"spec:\n  ? *a{levels - 1}\n  : x\n").ToString();
    }

    private static long AllocatedJoining(int lines)
    {
        var text = string.Concat(Enumerable.Repeat("ExecStart=--flag-with-a-value \\\n", lines)) + "end\n";
        var before = GC.GetAllocatedBytesForCurrentThread();
        var joined = UnitFile.LogicalLines(text).ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Single(joined);
        return allocated;
    }
}
