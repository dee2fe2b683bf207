using System.Diagnostics;
using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Capture;

/// <summary>
/// Sits between detection and the host for --snapshot: every source passes through it unchanged and leaves a copy of
/// what it read (lookups with their timings, the static kubelet's lookup beside a cgo kubelet's, the raw route files, each source-address probe, the kubelet build), so
/// the snapshot holds exactly what this detection saw. The interfaces and the hostname need no copy: the
/// <see cref="NodeSnapshot"/> keeps them as read.
/// </summary>
internal sealed class NodeRecorder
{
    private readonly List<(string Name, HostLookupResult Result, TimeSpan Elapsed, bool AsStaticKubelet)> _lookups = [];
    private readonly List<(IPAddress Destination, IPAddress? Source)> _probes = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(string Name, HostLookupResult Result, TimeSpan Elapsed, bool AsStaticKubelet)> Lookups
    {
        get
        {
            lock (_gate)
            {
                return [.. _lookups];
            }
        }
    }

    public IReadOnlyList<(IPAddress Destination, IPAddress? Source)> Probes
    {
        get
        {
            lock (_gate)
            {
                return [.. _probes];
            }
        }
    }

    public RouteFileTexts? RouteFiles { get; private set; }

    public KubeletBuild? Kubelet { get; private set; }

    public IHostLookup Record(IHostLookup inner) => new RecordingLookup(inner, this);

    public ISourceAddressProbe Record(ISourceAddressProbe inner) => new RecordingProbe(inner, this);

    public Func<ITargetFiles, KubeletBuild> Record(Func<ITargetFiles, KubeletBuild> inner) => files => Kubelet = inner(files);

    /// <summary>Reads the route files once, keeps their text, and parses that same text.</summary>
    public Func<RouteTable> RecordRoutes(Func<RouteFileTexts> read) => () =>
    {
        var texts = read();
        RouteFiles = texts;
        return RouteFileParser.ToTable(texts);
    };

    private sealed class RecordingLookup(IHostLookup inner, NodeRecorder recorder) : IHostLookup
    {
        public Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken) => Recorded(name, () => inner.LookupAsync(name, cancellationToken));

        public Task<HostLookupResult> LookupAsync(string name, ITargetFiles files, CancellationToken cancellationToken) => Recorded(name, () => inner.LookupAsync(name, files, cancellationToken));

        private async Task<HostLookupResult> Recorded(string name, Func<Task<HostLookupResult>> lookup)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await lookup();
            lock (recorder._gate)
            {
                recorder._lookups.Add((name, result, Stopwatch.GetElapsedTime(started), false));
            }

            return result;
        }

        public async Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await inner.LookupAsStaticKubeletAsync(name, asKubelet, cancellationToken);
            if (result is not null)
            {
                lock (recorder._gate)
                {
                    recorder._lookups.Add((name, result, Stopwatch.GetElapsedTime(started), true));
                }
            }

            return result;
        }
    }

    private sealed class RecordingProbe(ISourceAddressProbe inner, NodeRecorder recorder) : ISourceAddressProbe
    {
        public IPAddress? SourceFor(IPAddress destination)
        {
            var source = inner.SourceFor(destination);
            lock (recorder._gate)
            {
                recorder._probes.Add((destination, source));
            }

            return source;
        }
    }
}
