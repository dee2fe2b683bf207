using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Node;
using Microsoft.Extensions.Logging;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Watch;

/// <summary>
/// Follows the kernel's link, address and route changes on an rtnetlink socket (.NET's NetworkChange misses
/// IPv6 address changes and names no interface). Events on interfaces the policy ignores (kube-ipvs0, CNI
/// and veth devices), addresses that can never be chosen (link-local) and routes other than defaults are
/// dropped here, before any detection is asked for.
/// A blocking receive on its own thread: no wake-ups while nothing changes.
/// </summary>
internal sealed class NetlinkWatcher : IDisposable
{
    private const uint Groups = GroupLink | GroupIpv4Address | GroupIpv6Address | GroupIpv4Route | GroupIpv6Route;

    private readonly Func<string, bool> _isIgnored;
    private readonly bool _allRoutes;
    private readonly Action<string> _onChange;
    private readonly ILogger _logger;
    private readonly Dictionary<int, string> _names = [];
    private readonly AddressBook _addresses = new();
    private readonly Func<INotificationSocket> _open;
    private readonly TimeSpan _firstBackoff;
    private readonly int _maxFailures;
    private INotificationSocket? _socket;
    private volatile bool _disposed;

    /// <param name="isIgnored">True for interface names whose changes cannot alter the choice.</param>
    /// <param name="allRoutes">Also report non-default routes (can-reach depends on every route).</param>
    /// <param name="onChange">Called on the watcher thread with a short reason for each relevant event.</param>
    public NetlinkWatcher(Func<string, bool> isIgnored, bool allRoutes, Action<string> onChange, ILogger logger)
        : this(isIgnored, allRoutes, onChange, logger, () => new NetlinkSocket(Groups), TimeSpan.FromSeconds(1), maxFailures: 6)
    {
    }

    /// <param name="open">Opens the subscribed socket (tests pass a failing one).</param>
    /// <param name="firstBackoff">First wait before reopening after an error; doubles up to a minute.</param>
    /// <param name="maxFailures">Errors in a row after which the watcher gives up and reports itself failed.</param>
    internal NetlinkWatcher(Func<string, bool> isIgnored, bool allRoutes, Action<string> onChange, ILogger logger,
        Func<INotificationSocket> open, TimeSpan firstBackoff, int maxFailures)
    {
        _isIgnored = isIgnored;
        _allRoutes = allRoutes;
        _onChange = onChange;
        _logger = logger;
        _open = open;
        _firstBackoff = firstBackoff;
        _maxFailures = maxFailures;
    }

    /// <summary>Raised once, with the reason, when the watcher gave up reopening its socket.</summary>
    public event Action<string>? Failed;

    /// <summary>False once the watcher gave up: address changes are then seen only by the safety timer.</summary>
    public bool Healthy => _failure is null;

    private volatile string? _failure;

    /// <summary>The interface indexes whose names are known now (tests: removed links are forgotten).</summary>
    internal int[] KnownIndexes()
    {
        lock (_names)
        {
            return [.. _names.Keys];
        }
    }

    /// <summary>Subscribes, then learns the current interface names; events from then on are seen.</summary>
    public void Start()
    {
        _socket = _open();

        // A link dump on its own socket: the names of the interfaces that exist before any event names them.
        using (var dump = new NetlinkSocket())
        {
            dump.Dump(RtmGetLink, Native.Libc.AfUnspec, IfInfoLength, RtmNewLink, payload =>
            {
                var link = NetlinkParser.ParseLink(payload);
                lock (_names)
                {
                    _names[link.Index] = link.Name;
                }
            });

            // And the addresses there already, so that a lifetime renewal of one is not taken for a new address.
            dump.Dump(RtmGetAddr, Native.Libc.AfUnspec, IfAddrLength, RtmNewAddr, payload =>
            {
                if (NetlinkParser.ParseAddress(payload) is { } address)
                {
                    _addresses.Added(address.Index, address.Value);
                }
            });
        }

        var thread = new Thread(Run) { IsBackground = true, Name = "netlink-watcher" };
        thread.Start();
    }

    public void Dispose()
    {
        _disposed = true;
        _socket?.Dispose();
    }

    private void Run()
    {
        var failures = 0;
        var delay = _firstBackoff;
        while (!_disposed)
        {
            try
            {
                if (!_socket!.ReceiveNotifications(Handle))
                {
                    // The kernel dropped events (ENOBUFS): anything may have changed.
                    Report("netlink overrun");
                }

                failures = 0;
                delay = _firstBackoff;
            }
            catch (Exception e) when (!_disposed)
            {
                if (++failures >= _maxFailures)
                {
                    _failure = $"netlink watcher failed {failures} times in a row, last: {e.Message}";
                    _logger.LogError("{Failure}; address changes are now seen only by the safety timer", _failure);
                    Failed?.Invoke(_failure);
                    return;
                }

                _logger.LogWarning("netlink watcher failed: {Error}; reopening its socket in {Delay}", e.Message, delay);
                Thread.Sleep(delay);
                delay = delay * 2 < TimeSpan.FromMinutes(1) ? delay * 2 : TimeSpan.FromMinutes(1);
                Reopen();
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private void Reopen()
    {
        _socket?.Dispose();
        try
        {
            _socket = _open();

            // Whatever changed while the socket was gone must be looked at.
            Report("netlink watcher reopened");
        }
        catch (Exception e) when (!_disposed)
        {
            // The next receive fails on the disposed socket and counts as one more failure.
            _logger.LogWarning("cannot reopen the netlink socket: {Error}", e.Message);
        }
    }

    private void Handle(ushort type, ReadOnlySpan<byte> payload)
    {
        try
        {
            Dispatch(type, payload);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            // One malformed message must not end the watch; treat it as "something changed".
            _logger.LogWarning("unreadable netlink message: {Error}", e.Message);
            Report("unreadable netlink message");
        }
    }

    private void Dispatch(ushort type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case RtmNewLink or RtmDelLink:
                var link = NetlinkParser.ParseLink(payload);
                lock (_names)
                {
                    // A removed link is forgotten: kube-proxy and CNI create and delete links all day long.
                    if (type == RtmDelLink)
                    {
                        _names.Remove(link.Index);
                    }
                    else
                    {
                        _names[link.Index] = link.Name;
                    }
                }

                if (type == RtmDelLink)
                {
                    _addresses.LinkRemoved(link.Index);
                }

                Filter(link.Name, $"link {link.Name} {(type == RtmNewLink ? "changed" : "removed")}");
                break;
            case RtmNewAddr or RtmDelAddr:
                if (NetlinkParser.ParseAddress(payload) is { } address)
                {
                    // A link-local, loopback or multicast address can never be chosen: its coming and going changes nothing.
                    if (Policy.AddressRules.Unusable(address.Value.Address) is not null)
                    {
                        break;
                    }

                    var name = NameOf(address.Index);
                    if (type == RtmDelAddr)
                    {
                        _addresses.Removed(address.Index, address.Value);
                        Filter(name, $"address {address.Value} removed from {name}");
                        break;
                    }

                    switch (_addresses.Added(address.Index, address.Value))
                    {
                        case AddressChange.LifetimeOnly:
                            // DHCP renewals and router advertisements: nothing the policy reads has changed.
                            break;
                        case AddressChange.FlagsChanged:
                            Filter(name, $"address {address.Value} on {name} now {Describe(address.Value.Flags)}");
                            break;
                        default:
                            Filter(name, $"address {address.Value} added to {name}");
                            break;
                    }
                }

                break;
            case RtmNewRoute or RtmDelRoute:
                var route = NetlinkParser.ParseRoute(payload);
                if (!route.DefaultDestination && !_allRoutes)
                {
                    break;
                }

                var device = NameOf(route.OutputInterface);
                Filter(device, $"{route.Family?.ToString() ?? "other"} {(route.DefaultDestination ? "default " : string.Empty)}route via {device} {(type == RtmNewRoute ? "added" : "removed")}");
                break;
        }
    }

    private void Filter(string name, string reason)
    {
        if (name.Length > 0 && _isIgnored(name))
        {
            return;
        }

        Report(reason);
    }

    private void Report(string reason) => _onChange(reason);

    private static string Describe(Ipv6AddressFlags flags) =>
        flags.InstabilityReason() ?? "preferred";

    private string NameOf(int index)
    {
        lock (_names)
        {
            return _names.TryGetValue(index, out var name) ? name : string.Empty;
        }
    }
}
