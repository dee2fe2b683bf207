using K0sNodeIp.Agent;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace K0sNodeIp.Tests.Agent;

public sealed class LookupWarningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-lookup-warning").FullName;
    private readonly ILogger _logger = Substitute.For<ILogger>();
    private HostLookupResult _answer = new(LookupMethod.Dns, [], "node1. A: SERVFAIL (nameservers 127.0.0.1)", Faulted: true);

    public LookupWarningTests() => _logger.IsEnabled(default).ReturnsForAnyArgs(true);

    [Fact]
    public async Task Same_dns_failure_is_warned_once_per_change_not_at_every_detection()
    {
        var reconciler = Create();

        for (var i = 0; i < 5; i++)
        {
            await reconciler.ReconcileAsync("flap", dryRun: false, CancellationToken.None);
        }

        var afterFive = Warnings("SERVFAIL");
        _answer = _answer with { Error = "node1. A: REFUSED (nameservers 127.0.0.1)" };
        await reconciler.ReconcileAsync("flap", dryRun: false, CancellationToken.None);
        await reconciler.ReconcileAsync("flap", dryRun: false, CancellationToken.None);

        Assert.Equal(1, afterFive);
        Assert.Equal(1, Warnings("REFUSED"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int Warnings(string containing) => _logger.ReceivedCalls().Count(c =>
        c.GetMethodInfo().Name == nameof(ILogger.Log) && (LogLevel)c.GetArguments()[0]! == LogLevel.Warning
        && c.GetArguments()[2]!.ToString()!.Contains(containing, StringComparison.Ordinal));

    private Reconciler Create()
    {
        var hostname = Substitute.For<IHostnameSource>();
        hostname.GetHostname().Returns("node1");
        var interfaces = Substitute.For<INetworkInterfaces>();
        interfaces.Read().Returns([]);
        var lookup = Substitute.For<IHostLookup>();
        lookup.LookupAsync(default!, default!, default).ReturnsForAnyArgs(_ => _answer);
        var target = new TemplateFileTarget(Path.Combine(_dir, "node-ip"), "{nodeIpFlag}");
        var reader = new SnapshotReader(hostname, lookup, interfaces, Substitute.For<ISourceAddressProbe>(), () => RouteTable.Empty, readTarget: files => files.ReadTarget(target));
        var detection = new DetectionOptions { StaticIPv4 = "192.0.2.10" };
        var reloader = new UnitReloader(Substitute.For<ISystemdManager>(), new ReloadOptions { Mode = "none" }, TimeProvider.System, NullLogger.Instance);
        return new Reconciler(new NodeIpDetector(reader, detection), target, null, reloader, null, null, _logger);
    }
}
