using System.Net;
using K0sNodeIp.Configuration;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Capture;

/// <summary>
/// The node of a --snapshot file, standing in for the host behind the same <see cref="SnapshotReader"/>: the recorded
/// name, lookups, interfaces and probes, and route files parsed again. Nothing here touches the machine it runs on.
/// </summary>
internal sealed class RecordedNode : IHostnameSource, IHostLookup, INetworkInterfaces, ISourceAddressProbe
{
    private readonly SnapshotDocument _document;
    private readonly DetectionOptions _options;
    private readonly IReadOnlyList<NetInterface> _interfaces;
    private readonly Dictionary<string, Queue<HostLookupResult>> _lookups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostLookupResult> _staticKubeletLookups = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, IPAddress?> _probes = [];
    private readonly RouteFileTexts _routes;
    private readonly INodeIpTarget? _target;
    private readonly TargetInputs? _targetInputs;

    /// <param name="target">The target the recorded options give: with recorded inputs (--with-target-files), its answers are derived again from them.</param>
    /// <exception cref="SnapshotException">A recorded field cannot be read; the message names it.</exception>
    public RecordedNode(SnapshotDocument document, DetectionOptions options, INodeIpTarget? target = null)
    {
        _document = document;
        _options = options;
        if (document.Target.Inputs is { } inputs && target is not null)
        {
            _target = target;
            _targetInputs = ToInputs(inputs);
            // As the read stage did on the node: a target that chooses its file (the k0s unit) chooses from the record.
            target.Locate(new RecordedFiles(_targetInputs));
            if (_targetInputs.Path != target.Path)
            {
                throw new SnapshotException($"target.inputs.current.path is {_targetInputs.Path}, but the recorded options write {target.Path}");
            }

            RequireEverythingRead(target, _targetInputs);
        }

        for (var i = 0; i < document.Lookups.Count; i++)
        {
            var lookup = document.Lookups[i];
            if (lookup.AsStaticKubelet)
            {
                _staticKubeletLookups[lookup.Name] = ToResult(lookup, $"lookups[{i}]");
                continue;
            }

            if (!_lookups.TryGetValue(lookup.Name, out var queue))
            {
                _lookups[lookup.Name] = queue = new Queue<HostLookupResult>();
            }

            queue.Enqueue(ToResult(lookup, $"lookups[{i}]"));
        }

        for (var i = 0; i < document.Probes.Count; i++)
        {
            var probe = document.Probes[i];
            _probes[Address(probe.Destination, $"probes[{i}].destination")] = probe.Source is null ? null : Address(probe.Source, $"probes[{i}].source");
        }

        _interfaces = document.Interfaces.Select((nic, i) => ToInterface(nic, $"interfaces[{i}]")).ToArray();
        var routes = document.Routes;
        foreach (var (file, field) in new[] { (routes.Ipv4, "routes.ipv4"), (routes.Ipv6, "routes.ipv6") })
        {
            if (file.Exists && file.Content is null && routes.Error is null)
            {
                throw new SnapshotException($"{field}.content is missing, but the file existed on the node");
            }
        }

        _routes = new RouteFileTexts(routes.Ipv4.Path, routes.Ipv4.Exists ? routes.Ipv4.Content ?? string.Empty : null, routes.Ipv6.Path, routes.Ipv6.Exists ? routes.Ipv6.Content ?? string.Empty : null, routes.Error);
    }

    /// <summary>The reads of this recording in the place of the host's, with the recorded (or overridden) detection options.</summary>
    public SnapshotReader CreateReader() =>
        new(this, this, this, this, () => RouteFileParser.ToTable(_routes), ParseDestination, readTarget: _ => RecordedTarget());

    /// <summary>What the target held when the snapshot was taken: its pair (the keep rule) and its config's virtual IPs.</summary>
    /// <exception cref="SnapshotException">A recorded virtual IP is not an address.</exception>
    private TargetState RecordedTarget()
    {
        if (_target is not null && _targetInputs is not null)
        {
            return _target.StateOf(_targetInputs);
        }

        var target = _document.Target;
        var virtualIps = (target.VirtualIps ?? []).Select((v, i) => new VirtualIp(Address(v.Address, $"target.virtualIps[{i}].address"), v.Origin)).ToList();
        return new TargetState(NodeIpPair.Parse(target.NodeIpInFile), virtualIps);
    }

    /// <summary>The target's primary family as its rule answered on the node; throws as it threw there.</summary>
    /// <exception cref="TargetException">The target's rule could not be read on the node.</exception>
    public PrimaryFamilyChoice TargetPrimaryFamily() =>
        _target is not null && _targetInputs is not null ? _target.DefaultPrimaryFamily(_targetInputs) : _document.Target.PrimaryFamilyChoice();

    /// <summary>The recorded inputs as the read stage gave them on the node.</summary>
    /// <exception cref="SnapshotException">They were recorded for another file than the target the options give.</exception>
    private static TargetInputs ToInputs(SnapshotDocument.TargetInputsRecord inputs)
    {
        if (inputs.Current is null || inputs.Files is null || inputs.Listings is null)
        {
            throw new SnapshotException("target.inputs needs current, files and listings");
        }

        var targetPath = inputs.Current.Path ?? throw new SnapshotException("target.inputs.current.path is missing");
        var unnamed = inputs.Files.FindIndex(f => f.Path is null);
        if (unnamed >= 0)
        {
            throw new SnapshotException($"target.inputs.files[{unnamed}].path is missing");
        }

        var duplicate = inputs.Files.GroupBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SnapshotException($"target.inputs.files names {duplicate.Key} twice");
        }

        var fields = new[] { ("target.inputs.current", inputs.Current) }.Concat(inputs.Files.Select((f, i) => ($"target.inputs.files[{i}]", f)));
        foreach (var (field, file) in fields)
        {
            // The record says what the read stage found: text, absence, or an error; "there, but no text" is none of them.
            if (file.Exists && file.Content is null && file.Error is null)
            {
                throw new SnapshotException($"{field}.content is missing, but {file.Path} existed on the node");
            }
        }

        if (inputs.Listings.FirstOrDefault(l => l.Value is null) is { Key: { } folder })
        {
            throw new SnapshotException($"target.inputs.listings[\"{folder}\"] is null");
        }

        return new TargetInputs(targetPath)
        {
            Current = inputs.Current.Error is null ? inputs.Current.Content : null,
            CurrentError = inputs.Current.Error,
            Files = inputs.Files.Where(f => f.Error is null).ToDictionary(f => f.Path, f => f.Exists ? f.Content : null, StringComparer.Ordinal),
            Errors = inputs.Files.Where(f => f.Error is not null).ToDictionary(f => f.Path, f => f.Error!, StringComparer.Ordinal),
            Listings = inputs.Listings.ToDictionary(l => l.Key, l => (IReadOnlyList<string>)l.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Every file and folder the target asks for (its <see cref="INodeIpTarget.ReadInputs"/>, over the recorded files) is in
    /// the record: a replay never takes a file it was not given for an absent one.
    /// </summary>
    /// <exception cref="SnapshotException">The target reads a file or folder the record lacks (deleted or renamed by hand, or another config path).</exception>
    private static void RequireEverythingRead(INodeIpTarget target, TargetInputs inputs) => target.ReadInputs(new RecordedFiles(inputs));

    /// <summary>The recorded inputs as the read stage's files; a path not recorded is an error, not an absent file.</summary>
    private sealed class RecordedFiles(TargetInputs inputs) : ITargetFiles
    {
        public string? Text(string path) =>
            inputs.Files.ContainsKey(path) || inputs.Errors.ContainsKey(path)
                ? inputs.Text(path)
                : throw new SnapshotException($"target.inputs.files has no entry for {path}, which the target reads: the snapshot does not record it; take a new --snapshot --with-target-files on the node");

        public IReadOnlyList<string> ConfNames(string directory) =>
            inputs.Listings.TryGetValue(directory, out var names)
                ? names
                : throw new SnapshotException($"target.inputs.listings has no entry for {directory}, which the target lists: the snapshot does not record it");
    }

    /// <summary>The recorded name, unless a replay overrides Detection:Hostname (as kubelet's --hostname-override).</summary>
    /// <exception cref="SnapshotException">The replay clears a Detection:Hostname the node ran with: the machine's own name is not recorded.</exception>
    public string GetHostname()
    {
        if (!string.IsNullOrWhiteSpace(_options.Hostname))
        {
            return _options.Hostname.Trim().ToLowerInvariant();
        }

        return string.IsNullOrWhiteSpace(_document.Options.GetValueOrDefault("Detection:Hostname"))
            ? _document.Hostname
            : throw new SnapshotException("the snapshot records the name Detection:Hostname gave, not the machine's own hostname; give Detection:Hostname a name to replay with");
    }

    /// <exception cref="SnapshotException">The node did not resolve <paramref name="name"/>.</exception>
    public Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        // The same name asked twice on the node was recorded twice; asked once more here, the last answer stands.
        if (_lookups.TryGetValue(name, out var queue) && queue.Count > 0)
        {
            return Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        }

        throw new SnapshotException($"the snapshot records no lookup of {name}: the node did not resolve it; take a snapshot on the node with this Detection:Hostname or CanReach setting");
    }

    /// <summary>The lookup recorded as a static kubelet's; null when the node made none (its kubelet did not ask glibc).</summary>
    public Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken) =>
        Task.FromResult(_staticKubeletLookups.GetValueOrDefault(name));

    public IReadOnlyList<NetInterface> Read() => _interfaces;

    /// <summary>The recorded answer; a destination the node was never asked about is not invented ("no route").</summary>
    /// <exception cref="SnapshotException">The node was not asked about <paramref name="destination"/>.</exception>
    public IPAddress? SourceFor(IPAddress destination) =>
        _probes.TryGetValue(destination, out var source)
            ? source
            : throw new SnapshotException($"the snapshot records no route towards {destination}: the node was not asked about it; take a snapshot on the node with this Detection:CanReach setting");

    /// <summary>
    /// An address as the node parsed it: a zone given by name (fe80::1%eth0) is the index of the recorded interface of
    /// that name, not of an interface of the replaying machine.
    /// </summary>
    public IPAddress? ParseDestination(string text)
    {
        var percent = text.IndexOf('%', StringComparison.Ordinal);
        if (percent > 0 && _interfaces.FirstOrDefault(n => n.Name == text[(percent + 1)..]) is { } nic
            && IPAddress.TryParse(text[..percent], out var unscoped) && unscoped.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return new IPAddress(unscoped.GetAddressBytes(), nic.Index);
        }

        return IPAddress.TryParse(text, out var address) ? address : null;
    }

    private static HostLookupResult ToResult(SnapshotDocument.LookupRecord lookup, string field)
    {
        var answers = lookup.Answers.Select((a, i) => Address(a, $"{field}.answers[{i}]")).ToArray();
        ResolverChoice? resolver = null;
        if (lookup.ResolverOrder is { } order)
        {
            if (!Enum.TryParse<HostLookupOrder>(order, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new SnapshotException($"{field}.resolverOrder: \"{order}\" is not one of {string.Join(", ", Enum.GetNames<HostLookupOrder>())}");
            }

            resolver = new ResolverChoice(parsed, lookup.ResolverReason ?? string.Empty);
        }

        var method = LookupMethod.FromWord(lookup.Method)
            ?? throw new SnapshotException($"{field}.method: \"{lookup.Method}\" is not one of {string.Join(", ", LookupMethod.Words)}");
        return new HostLookupResult(method, answers, lookup.Error, lookup.Faulted)
        {
            Resolver = resolver,
            Dns = lookup.Dns is { } dns ? new DnsLimits(dns.Timeout, dns.TimeoutSource, dns.Attempts, dns.AttemptsSource, dns.Budget, dns.BudgetSource) : null,
        };
    }

    private static NetInterface ToInterface(SnapshotDocument.InterfaceRecord nic, string field)
    {
        // The kernel numbers interfaces from 1; a zone (fe80::1%eth0) carries the index, which cannot be negative.
        if (nic.Index <= 0)
        {
            throw new SnapshotException($"{field}.index: {nic.Index} is not an interface index (1 or more)");
        }

        var addresses = nic.Addresses.Select((a, i) =>
        {
            var at = $"{field}.addresses[{i}]";
            var slash = a.Address.LastIndexOf('/');
            if (slash < 0
                || !int.TryParse(a.Address.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                || length > (a.Address.Contains(':', StringComparison.Ordinal) ? 128 : 32))
            {
                throw new SnapshotException($"{at}.address: \"{a.Address}\" is not address/prefix-length");
            }

            var flags = Ipv6AddressFlags.None;
            if (a.Flags is { } names && !Enum.TryParse(names, ignoreCase: false, out flags))
            {
                throw new SnapshotException($"{at}.flags: \"{names}\" is not a list of IFA_F_ flag names");
            }

            return new InterfaceAddress(Address(a.Address[..slash], $"{at}.address"), length, flags);
        }).ToArray();
        // Fields older snapshots lack: carrier assumed, link type unknown, so they replay as they were taken.
        return new NetInterface(nic.Index, nic.Name, nic.Up, nic.Loopback, nic.PointToPoint, addresses)
        {
            HasCarrier = nic.Carrier ?? true,
            LinkType = nic.LinkType,
        };
    }

    private static IPAddress Address(string? text, string field) =>
        text is null ? throw new SnapshotException($"{field} is missing")
        : IPAddress.TryParse(text, out var address) ? address
        : throw new SnapshotException($"{field}: \"{text}\" is not an IP address");
}
