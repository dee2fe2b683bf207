using System.Net;
using K0sNodeIp.Agent;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Tests.Agent;

/// <summary>Standing warnings are findings compared by their facts (issue 31): the same finding is said once, whatever its words.</summary>
public sealed class ReconcileWarningsTests
{
    [Fact]
    public void A_warning_is_its_facts_not_its_words()
    {
        var a = new StandingWarning(WarningKind.SettingKept, IpFamily.IPv4, IPAddress.Parse("192.0.2.10"), "Detection:AllowedCidrs") { Text = "one wording" };
        var b = new StandingWarning(WarningKind.SettingKept, IpFamily.IPv4, IPAddress.Parse("192.0.2.10"), "Detection:AllowedCidrs") { Text = "another wording" };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Address = IPAddress.Parse("192.0.2.11") });
        Assert.NotEqual(a, b with { Family = IpFamily.IPv6 });
    }

    [Fact]
    public void The_same_finding_is_said_once_and_a_changed_one_again()
    {
        var logger = new CountingLogger();
        var warnings = new ReconcileWarnings(logger);
        SettingKeep Keep(string address) => new(IpFamily.IPv4, IPAddress.Parse(address), "Detection:AllowedCidrs");

        warnings.SettingKeeps([Keep("192.0.2.10")], "/target");
        warnings.SettingKeeps([Keep("192.0.2.10")], "/target");
        Assert.Equal(1, logger.Warnings);

        warnings.SettingKeeps([Keep("192.0.2.11")], "/target");
        Assert.Equal(2, logger.Warnings);
        var standing = Assert.Single(warnings.Current);
        Assert.Equal(new StandingWarning(WarningKind.SettingKept, IpFamily.IPv4, IPAddress.Parse("192.0.2.11"), "Detection:AllowedCidrs"), standing);

        warnings.SettingKeeps([], "/target");
        Assert.Empty(warnings.Current);
    }

    private sealed class CountingLogger : ILogger
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
