using K0sNodeIp.Configuration;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Capture;

/// <summary>Turns what a <see cref="NodeRecorder"/> saw into a <see cref="SnapshotDocument"/>.</summary>
internal static class SnapshotCapture
{
    /// <param name="printed">--print --json's output from the same detection, or null when it failed with <paramref name="printError"/>.</param>
    /// <param name="printedText">--print's text output from the same detection, or null.</param>
    public static SnapshotDocument Build(
        NodeRecorder recorder,
        NodeSnapshot snapshot,
        K0sNodeIpOptions options,
        SnapshotDocument.TargetRecord target,
        string? printed,
        string? printedText,
        string? printError,
        DateTimeOffset takenAt)
    {
        var lookups = recorder.Lookups.Select(l => Describe(l.Name, l.Result, l.Elapsed, l.AsStaticKubelet)).ToList();
        var routes = recorder.RouteFiles ?? throw new InvalidOperationException("the recorder saw no route files: detection did not read through it");
        return new SnapshotDocument
        {
            TakenBy = $"k0s-node-ip {ProgramInfo.Version}",
            TakenAt = takenAt,
            Options = EffectiveSettings.Of(options),
            Hostname = snapshot.Hostname,
            Lookups = lookups,

            // The files that fed the lookups, read once more just after them; only when a lookup ran.
            ResolverFiles = recorder.Lookups.Any(l => l.Result.Method != LookupMethod.None)
                ? [Copy(HostsFile.DefaultPath), Copy(ResolvConf.DefaultPath), Copy(NsSwitch.DefaultPath), Exists(ResolverFiles.MdnsAllowPath)]
                : [],
            Kubelet = recorder.Kubelet is { } kubelet ? new SnapshotDocument.KubeletRecord
            {
                Static = kubelet.Static,
                Why = kubelet.Why,
                Path = kubelet.Path,
                NetDns = kubelet.NetDns == GoDebugNetDns.Unset ? null : kubelet.NetDns.ToString(),
                NetDnsOrigin = kubelet.NetDnsOrigin,
            } : null,
            Routes = new SnapshotDocument.RouteFilesRecord
            {
                Ipv4 = new SnapshotDocument.FileRecord { Path = routes.Ipv4Path, Exists = routes.Ipv4 is not null, Content = routes.Ipv4 },
                Ipv6 = new SnapshotDocument.FileRecord { Path = routes.Ipv6Path, Exists = routes.Ipv6 is not null, Content = routes.Ipv6 },
                Error = routes.Error,
            },
            Interfaces = snapshot.Interfaces.Select(Describe).ToList(),
            Probes = recorder.Probes.Select(p => new SnapshotDocument.ProbeRecord { Destination = p.Destination.ToString(), Source = p.Source?.ToString() }).ToList(),
            Target = target,
            Printed = printed is null ? null : System.Text.Json.JsonDocument.Parse(printed).RootElement.Clone(),
            PrintedText = printedText,
            PrintError = printError,
        };
    }

    /// <summary>What the target read: its file's current --node-ip, the files it derives from, and its primary family rule.</summary>
    /// <param name="state">What the target held and derived from, read with the node.</param>
    /// <param name="withInputs">--with-target-files: the files themselves too, whole (they may hold credentials).</param>
    public static SnapshotDocument.TargetRecord DescribeTarget(string kind, INodeIpTarget target, TargetState state, bool withInputs = false)
    {
        var inputs = state.Inputs;
        var record = new SnapshotDocument.TargetRecord
        {
            Kind = kind,
            Description = target.Description,
            Path = target.Path,
            NodeIpInFile = target.NodeIpOf(inputs.Current),
        };
        try
        {
            record.Reads = target.SourceFiles.Concat(target.PrimaryFamilyFiles(inputs)).Distinct(StringComparer.Ordinal).Select(f => Exists(f, inputs)).ToList();
        }
        catch (TargetException)
        {
            // The k0s config path comes from the unit's command line, which cannot be read: Error below says why.
            record.Reads = target.SourceFiles.Select(f => Exists(f, inputs)).ToList();
        }

        record.VirtualIps = state.VirtualIps.Select(v => new SnapshotDocument.VirtualIpRecord { Address = v.Address.ToString(), Origin = v.Origin }).ToList();
        try
        {
            var primary = target.DefaultPrimaryFamily(inputs);
            record.PrimaryFamily = primary.Family.Name();
            record.PrimaryFamilySource = primary.Origin;
        }
        catch (TargetException e)
        {
            record.Error = e.Message;
        }

        record.Inputs = withInputs ? Describe(inputs) : null;
        return record;
    }

    private static SnapshotDocument.TargetInputsRecord Describe(TargetInputs inputs) => new()
    {
        Current = new SnapshotDocument.FileRecord { Path = inputs.Path, Exists = inputs.Current is not null || inputs.CurrentError is not null, Content = inputs.Current, Error = inputs.CurrentError },
        Files = [.. inputs.Files.Keys.Union(inputs.Errors.Keys).Order(StringComparer.Ordinal).Select(path => new SnapshotDocument.FileRecord
        {
            Path = path,
            Exists = inputs.Text(path) is not null || inputs.Errors.ContainsKey(path),
            Content = inputs.Text(path),
            Error = inputs.Errors.GetValueOrDefault(path),
        })],
        Listings = new SortedDictionary<string, List<string>>(inputs.Listings.ToDictionary(l => l.Key, l => l.Value.Order(StringComparer.Ordinal).ToList()), StringComparer.Ordinal),
    };

    private static SnapshotDocument.LookupRecord Describe(string name, HostLookupResult result, TimeSpan elapsed, bool asStaticKubelet) => new()
    {
        Name = name,
        AsStaticKubelet = asStaticKubelet,
        Method = result.Method.Word,
        Answers = result.Answers.Select(a => a.ToString()).ToList(),
        Error = result.Error,
        Faulted = result.Faulted,
        ResolverOrder = result.Resolver?.Order.ToString(),
        ResolverReason = result.Resolver?.Reason,
        Dns = result.Dns is { } dns
            ? new SnapshotDocument.DnsLimitsRecord
            {
                Timeout = dns.Timeout,
                TimeoutSource = dns.TimeoutOrigin,
                Attempts = dns.Attempts,
                AttemptsSource = dns.AttemptsOrigin,
                Budget = dns.Budget,
                BudgetSource = dns.BudgetOrigin,
            }
            : null,
        ElapsedMilliseconds = Math.Round(elapsed.TotalMilliseconds, 3),
    };

    private static SnapshotDocument.InterfaceRecord Describe(NetInterface nic) => new()
    {
        Index = nic.Index,
        Name = nic.Name,
        Up = nic.IsUp,
        Loopback = nic.IsLoopback,
        PointToPoint = nic.IsPointToPoint,
        Carrier = nic.HasCarrier,
        LinkType = nic.LinkType,
        Addresses = nic.Addresses
            .Select(a => new SnapshotDocument.AddressRecord { Address = a.ToString(), Flags = a.Flags == Ipv6AddressFlags.None ? null : a.Flags.ToString() })
            .ToList(),
    };

    private static SnapshotDocument.FileRecord Copy(string path)
    {
        try
        {
            return File.Exists(path)
                ? new SnapshotDocument.FileRecord { Path = path, Exists = true, Content = File.ReadAllText(path) }
                : new SnapshotDocument.FileRecord { Path = path, Exists = Directory.Exists(path) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SnapshotDocument.FileRecord { Path = path, Exists = true, Error = e.Message };
        }
    }

    /// <summary>Whether the read stage found the file (read, or there but unreadable).</summary>
    private static SnapshotDocument.FileRecord Exists(string path, TargetInputs inputs) =>
        new() { Path = path, Exists = inputs.Text(path) is not null || inputs.Errors.ContainsKey(path) };

    private static SnapshotDocument.FileRecord Exists(string path) =>
        new() { Path = path, Exists = File.Exists(path) || Directory.Exists(path) };
}
