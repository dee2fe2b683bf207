using K0sNodeIp.Modes;
using K0sNodeIp.Policy;
using K0sNodeIp.Report;

namespace K0sNodeIp.Tests.Configuration;

public sealed class RegexSettingsTests
{
    [Fact]
    public void Catastrophic_pattern_gives_an_answer_instead_of_a_timeout()
    {
        // A backtracking engine needs 2^n steps here and hit its 1 s timeout (a crash, exit 134, before the fix).
        var rule = SelectionRules.Anchored("(x+x+)+y");

        Assert.DoesNotMatch(rule, new string('x', 10_000));
        Assert.Matches(rule, "xxy");
    }

    [Theory]
    [InlineData("--Detection:Interface=(?<a>e)\\k<a>th0", "Detection:Interface")]
    [InlineData("--Detection:SkipInterfaces:0=(?=veth)v.*", "Detection:SkipInterfaces:0")]
    public void Pattern_the_linear_engine_cannot_run_is_a_configuration_error_naming_the_key(string setting, string key)
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", setting], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains(key, stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(", "at offset 1")]
    [InlineData("a)|(b", "at offset 2")]
    public void Bad_pattern_is_reported_in_the_operators_own_words(string pattern, string where)
    {
        var stderr = new StringWriter();

        var exit = K0sNodeIpApp.Run(["--print", $"--Detection:Interface={pattern}"], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains($"\"{pattern}\" is not a valid regular expression", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(where, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("^(?:", stderr.ToString(), StringComparison.Ordinal);
    }
}
