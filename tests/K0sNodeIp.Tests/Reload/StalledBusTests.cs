using System.Net.Sockets;
using K0sNodeIp.Reload;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Reload;

/// <summary>A UNIX socket that accepts and never answers stands in for a wedged system bus.</summary>
public sealed class StalledBusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("k0snip-bus").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Socket> _peers = [];

    public StalledBusTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _ = AcceptForeverAsync();
    }

    private string SocketPath => Path.Combine(_dir, "bus");

    private string Address => $"unix:path={SocketPath}";

    [Theory]
    [InlineData(nameof(ISystemdManager.DaemonReloadAsync))]
    [InlineData(nameof(ISystemdManager.TryRestartUnitAsync))]
    [InlineData(nameof(ISystemdManager.IsRunningAsync))]
    [InlineData(nameof(ISystemdManager.StatusAsync))]
    public async Task Every_call_ends_with_its_token_when_the_bus_never_answers_the_authentication(string call)
    {
        using var manager = new DbusSystemdManager(Address);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var run = call switch
        {
            nameof(ISystemdManager.DaemonReloadAsync) => manager.DaemonReloadAsync(timeout.Token),
            nameof(ISystemdManager.TryRestartUnitAsync) => manager.TryRestartUnitAsync("k0sworker", waitForJob: true, timeout.Token),
            nameof(ISystemdManager.IsRunningAsync) => manager.IsRunningAsync("k0sworker", timeout.Token),
            _ => manager.StatusAsync("k0sworker", timeout.Token),
        };

        // A hang shows as a TimeoutException from the outer bound, not as the cancellation asserted.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        await _accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Once_with_a_stalled_bus_exits_75_instead_of_hanging()
    {
        var target = Path.Combine(_dir, "node-ip");

        var result = ProcessRunner.Run(ProgramUnderTest.Command[0], [.. ProgramUnderTest.Command.Skip(1), "--once",
            "--Target:Kind=file", $"--Target:Path={target}", "--Target:Unit=k0s-node-ip-test-none.service",
            "--Detection:StaticIPv4=192.0.2.10", "--Detection:StaticIPv6=2001:db8::10",
            "--Reload:JobTimeout=00:00:03", "--Reload:Attempts=1", $"--Reload:StateFile={Path.Combine(_dir, "state.json")}"],
            check: false, timeout: TimeSpan.FromSeconds(90), environment: new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = Address });

        Assert.Equal(75, result.ExitCode);
        Assert.Equal("--node-ip=192.0.2.10,2001:db8::10", File.ReadAllText(target).Trim());
        Assert.True(_accepted.Task.IsCompleted, "the run never reached the bus");
    }

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }

        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                var peer = await _listener.AcceptAsync();
                lock (_peers)
                {
                    _peers.Add(peer);
                }

                _accepted.TrySetResult();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
