using System.Collections.Concurrent;
using K0sNodeIp.Node;
using Tmds.DBus.Protocol;

namespace K0sNodeIp.Reload;

/// <summary>
/// systemd's manager over the system bus (org.freedesktop.systemd1(5)): <c>Reload</c>, and <c>RestartUnit</c>
/// followed by the <c>JobRemoved</c> signal that carries the job's result. Every step (connect, authentication, each
/// call, the job's wait) ends when the caller's token does: a peer that accepts and never answers cannot hang a run.
/// </summary>
internal sealed class DbusSystemdManager(string? busAddress = null) : ISystemdManager, IDisposable
{
    private const string Service = "org.freedesktop.systemd1";
    private const string ObjectPath = "/org/freedesktop/systemd1";
    private const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    private const string UnitInterface = "org.freedesktop.systemd1.Unit";
    private const string ServiceInterface = "org.freedesktop.systemd1.Service";
    private const string JobInterface = "org.freedesktop.systemd1.Job";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _jobs = new();
    private DBusConnection? _connection;

    // Restarts in flight: JobRemoved signals are kept only while one is, so other units' jobs are not hoarded.
    private int _inFlight;

    public async Task DaemonReloadAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        await DropOnDisconnect(connection, Call(connection, "Reload")).WaitAsync(cancellationToken);
    }

    public Task<JobResult> TryRestartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken) =>
        JobAsync("TryRestartUnit", unit, waitForJob, cancellationToken);

    /// <summary>Queues a job (TryRestartUnit, StartUnit) in "replace" mode and waits for its JobRemoved result unless told not to.</summary>
    private async Task<JobResult> JobAsync(string method, string unit, bool waitForJob, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        var name = Name(unit);
        Interlocked.Increment(ref _inFlight);
        string? job = null;
        try
        {
            job = await DropOnDisconnect(connection, connection.CallMethodAsync(JobMessage(connection, method, name), (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString()))
                .WaitAsync(cancellationToken);
            if (!waitForJob)
            {
                return JobResult.Queued;
            }

            // JobRemoved may arrive before our continuation runs: both sides meet in the same completion source.
            var completion = _jobs.GetOrAdd(job, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
            return new JobResult(await completion.Task.WaitAsync(cancellationToken));
        }
        finally
        {
            if (job is not null)
            {
                _jobs.TryRemove(job, out _);
            }

            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                _jobs.Clear();
            }
        }
    }

    public async Task<bool> IsRunningAsync(string unit, CancellationToken cancellationToken) =>
        await RunningUnitPathAsync(await ConnectAsync(cancellationToken), unit, cancellationToken) is not null;

    public async Task<UnitStatus?> StatusAsync(string unit, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        return await UnitPathAsync(connection, unit, cancellationToken) is { } path ? await StatusAtAsync(connection, path, cancellationToken) : null;
    }

    public async Task<JobResult> StartUnitAsync(string unit, bool waitForJob, CancellationToken cancellationToken) =>
        await JobAsync("StartUnit", unit, waitForJob, cancellationToken);

    public void Dispose() => _connection?.Dispose();

    /// <summary>The unit's object path when it runs or a job will start it (<see cref="UnitStatus.Running"/>); null when stopped or not loaded.</summary>
    private async Task<string?> RunningUnitPathAsync(DBusConnection connection, string unit, CancellationToken cancellationToken)
    {
        if (await UnitPathAsync(connection, unit, cancellationToken) is not { } path)
        {
            return null;
        }

        return (await StatusAtAsync(connection, path, cancellationToken)).Running ? path : null;
    }

    private async Task<string?> UnitPathAsync(DBusConnection connection, string unit, CancellationToken cancellationToken)
    {
        try
        {
            return await DropOnDisconnect(connection, connection.CallMethodAsync(UnitMessage(connection, Name(unit)), (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString()))
                .WaitAsync(cancellationToken);
        }
        catch (DBusErrorReplyException)
        {
            // Not loaded: not running.
            return null;
        }
    }

    private async Task<UnitStatus> StatusAtAsync(DBusConnection connection, string path, CancellationToken cancellationToken)
    {
        var state = UnitStatus.ParseActiveState((await GetProperty(connection, path, "ActiveState").WaitAsync(cancellationToken)).GetString());
        var sub = (await GetProperty(connection, path, "SubState").WaitAsync(cancellationToken)).GetString();

        // Job is (uo): id 0 and "/" when none is queued or running.
        var job = (await GetProperty(connection, path, "Job").WaitAsync(cancellationToken)).GetItem(1).GetObjectPathAsString();
        var kind = job is "/" or "" ? UnitJobKind.None
            : UnitStatus.ParseJobType((await GetProperty(connection, job, "JobType", JobInterface).WaitAsync(cancellationToken)).GetString());
        var result = string.Empty;
        uint restarts = 0;
        try
        {
            result = (await GetProperty(connection, path, "Result", ServiceInterface).WaitAsync(cancellationToken)).GetString();
            restarts = (await GetProperty(connection, path, "NRestarts", ServiceInterface).WaitAsync(cancellationToken)).GetUInt32();
        }
        catch (DBusErrorReplyException)
        {
            // Not a service, or a job that finished between the two calls: the state alone decides.
        }

        return new UnitStatus(state, sub, result, kind, restarts);
    }

    private static string Name(string unit) => ServiceUnitName.Full(unit);

    private static MessageBuffer UnitMessage(DBusConnection connection, string unit)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(destination: Service, path: ObjectPath, @interface: ManagerInterface, signature: "s", member: "GetUnit");
        writer.WriteString(unit);
        return writer.CreateMessage();
    }

    private Task<VariantValue> GetProperty(DBusConnection connection, string path, string property, string @interface = UnitInterface)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(destination: Service, path: path, @interface: "org.freedesktop.DBus.Properties", signature: "ss", member: "Get");
        writer.WriteString(@interface);
        writer.WriteString(property);
        return DropOnDisconnect(connection, connection.CallMethodAsync(writer.CreateMessage(), (Message m, object? _) => m.GetBodyReader().ReadVariantValue()));
    }

    private async Task<DBusConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var address = busAddress ?? DBusAddress.System ?? throw new SystemdException("no system bus address");
        var connection = new DBusConnection(address);
        try
        {
            // Tmds.DBus takes no token for these: a cancelled wait disposes the connection, which ends them.
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            await connection.WatchSignalAsync(Service, ObjectPath, ManagerInterface, "JobRemoved",
                (Message m, object? _) =>
                {
                    var reader = m.GetBodyReader();
                    reader.ReadUInt32();
                    var job = reader.ReadObjectPathAsString();
                    reader.ReadString();
                    return (Job: job, Result: reader.ReadString());
                },
                (Notification<(string Job, string Result)> notification) =>
                {
                    if (notification.HasValue && Volatile.Read(ref _inFlight) > 0)
                    {
                        var removed = notification.Value;
                        _jobs.GetOrAdd(removed.Job, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously))
                            .TrySetResult(removed.Result);
                    }
                },
                ObserverFlags.None,
                emitOnCapturedContext: false).AsTask().WaitAsync(cancellationToken);

            // systemd sends job signals only to subscribed clients.
            await Call(connection, "Subscribe").WaitAsync(cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    /// <summary>Forgets a connection the bus closed, so the next call connects again instead of failing for good.</summary>
    private async Task<T> DropOnDisconnect<T>(DBusConnection connection, Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (DBusConnectionException)
        {
            Forget(connection);
            throw;
        }
    }

    private async Task DropOnDisconnect(DBusConnection connection, Task call)
    {
        try
        {
            await call;
        }
        catch (DBusConnectionException)
        {
            Forget(connection);
            throw;
        }
    }

    /// <summary>Only the broken connection: another caller may already have connected again.</summary>
    private void Forget(DBusConnection connection)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) == connection)
        {
            connection.Dispose();
        }
    }

    private static Task Call(DBusConnection connection, string member)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(destination: Service, path: ObjectPath, @interface: ManagerInterface, member: member);
        return connection.CallMethodAsync(writer.CreateMessage());
    }

    private static MessageBuffer JobMessage(DBusConnection connection, string method, string unit)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(destination: Service, path: ObjectPath, @interface: ManagerInterface, signature: "ss", member: method);
        writer.WriteString(unit);
        writer.WriteString("replace");
        return writer.CreateMessage();
    }
}
