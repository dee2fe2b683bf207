using System.Text.Json;
using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Capture;

/// <summary>
/// The --snapshot file: everything one detection read from the node, the options it ran with, and what --print made
/// of it. Plain data for the JSON source generator; <see cref="SnapshotFile"/> checks the schema before binding it.
/// Never holds more than the files it names: no unit or k0s config is copied whole (they may carry credentials), unless
/// --with-target-files asks for the target's inputs (<see cref="TargetRecord.Inputs"/>).
/// Every field a replay reads is required, so a field deleted by hand is an error naming it, not a silent default.
/// </summary>
internal sealed class SnapshotDocument
{
    public const string SchemaName = "k0s-node-ip/snapshot";

    /// <summary>Raised whenever a field changes meaning or a replay needs a field older files lack.</summary>
    public const int CurrentVersion = 1;

    public string Schema { get; set; } = SchemaName;

    public int SchemaVersion { get; set; } = CurrentVersion;

    /// <summary>"k0s-node-ip VERSION" that wrote the file.</summary>
    public string TakenBy { get; set; } = string.Empty;

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>Every setting's effective value, "Section:Key" (lists "Section:Key:0"; null: unset): replayed as they are.</summary>
    public required SortedDictionary<string, string?> Options { get; set; }

    /// <summary>The node name detection used (gethostname(2), or Detection:Hostname).</summary>
    public required string Hostname { get; set; }

    /// <summary>
    /// Each name lookup, in order: the node name's (and, for a cgo kubelet that asked glibc, the node name's again as a
    /// static kubelet would ask Go's resolver: <see cref="LookupRecord.AsStaticKubelet"/>), then any can-reach destination given as a name.
    /// </summary>
    public required List<LookupRecord> Lookups { get; set; }

    /// <summary>/etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf and /etc/mdns.allow, when a lookup ran.</summary>
    public List<FileRecord> ResolverFiles { get; set; } = [];

    /// <summary>The kubelet build the resolver choice used, when it was asked.</summary>
    public KubeletRecord? Kubelet { get; set; }

    /// <summary>/proc/net/route and /proc/net/ipv6_route as read; a replay parses them again.</summary>
    public required RouteFilesRecord Routes { get; set; }

    /// <summary>Every interface in the kernel's order, with flags and addresses (IPv6 address flags included).</summary>
    public required List<InterfaceRecord> Interfaces { get; set; }

    /// <summary>Each source-address question asked of the kernel (RFC 6724 sorting, can-reach).</summary>
    public required List<ProbeRecord> Probes { get; set; }

    /// <summary>What the target read: its file and the primary family rule's answer.</summary>
    public required TargetRecord Target { get; set; }

    /// <summary>What --print --json said on the node, from this same detection; null when --print failed (see <see cref="PrintError"/>).</summary>
    public JsonElement? Printed { get; set; }

    /// <summary>What --print (text) said on the node, from this same detection; null when it failed.</summary>
    public string? PrintedText { get; set; }

    /// <summary>Why --print failed on the node (the target's rule could not be read), or null.</summary>
    public string? PrintError { get; set; }

    internal sealed class LookupRecord
    {
        public required string Name { get; set; }

        /// <summary>
        /// The lookup a static kubelet (Go's resolver) would make, read beside a cgo kubelet's glibc lookup of the same
        /// name; written only when true, so older snapshots (which never have one) read as before.
        /// </summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
        public bool AsStaticKubelet { get; set; }

        /// <summary>"hosts-file", "dns", "getaddrinfo" or "none".</summary>
        public required string Method { get; set; }

        public required List<string> Answers { get; set; }

        public required string? Error { get; set; }

        public required bool Faulted { get; set; }

        /// <summary>Go's hostLookupOrder name (FilesDns, Dns, ..., or Glibc).</summary>
        public string? ResolverOrder { get; set; }

        public string? ResolverReason { get; set; }

        public DnsLimitsRecord? Dns { get; set; }

        public double ElapsedMilliseconds { get; set; }
    }

    internal sealed class DnsLimitsRecord
    {
        public TimeSpan Timeout { get; set; }

        public required string TimeoutSource { get; set; }

        public int Attempts { get; set; }

        public required string AttemptsSource { get; set; }

        public TimeSpan Budget { get; set; }

        public required string BudgetSource { get; set; }
    }

    internal sealed class VirtualIpRecord
    {
        public required string Address { get; set; }

        /// <summary>The config key that names it.</summary>
        public required string Origin { get; set; }
    }

    internal sealed class FileRecord
    {
        public required string Path { get; set; }

        public required bool Exists { get; set; }

        /// <summary>The text; null when the file does not exist, cannot be read, or only its existence matters.</summary>
        public string? Content { get; set; }

        public string? Error { get; set; }
    }

    internal sealed class TargetInputsRecord
    {
        /// <summary>The target's own file: its text, or why it cannot be replaced (a symlink, a folder) or read.</summary>
        public required FileRecord Current { get; set; }

        /// <summary>The other files read (the unit and its drop-ins, the k0s config, the kubelet's environment files).</summary>
        public required List<FileRecord> Files { get; set; }

        /// <summary>The drop-in folders listed, by path: the *.conf names each held.</summary>
        public required SortedDictionary<string, List<string>> Listings { get; set; }
    }

    internal sealed class KubeletRecord
    {
        public bool Static { get; set; }

        public required string Why { get; set; }

        public string? Path { get; set; }

        /// <summary>GODEBUG's netdns mode in the kubelet unit's environment ("Go", "Cgo"); absent when unset.</summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? NetDns { get; set; }

        /// <summary>Where it was set ("GODEBUG=netdns=go in kubelet.service's Environment= (FILE)").</summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? NetDnsOrigin { get; set; }
    }

    internal sealed class RouteFilesRecord
    {
        public required FileRecord Ipv4 { get; set; }

        public required FileRecord Ipv6 { get; set; }

        public string? Error { get; set; }
    }

    internal sealed class InterfaceRecord
    {
        public required int Index { get; set; }

        public required string Name { get; set; }

        public required bool Up { get; set; }

        public required bool Loopback { get; set; }

        public required bool PointToPoint { get; set; }

        /// <summary>IFF_LOWER_UP (false: NO-CARRIER); absent (null) in older snapshots, which means "has carrier".</summary>
        public bool? Carrier { get; set; }

        /// <summary>The ARPHRD_* link type (1 Ethernet, 65534 tun/WireGuard, 512 ppp); absent (null) in older snapshots: unknown.</summary>
        public ushort? LinkType { get; set; }

        public required List<AddressRecord> Addresses { get; set; }
    }

    internal sealed class AddressRecord
    {
        /// <summary>"address/prefix-length".</summary>
        public required string Address { get; set; }

        /// <summary>The kernel's IFA_F_* flags by name ("NoDad, Permanent"); null when none.</summary>
        public required string? Flags { get; set; }
    }

    internal sealed class ProbeRecord
    {
        public required string Destination { get; set; }

        /// <summary>The source address the kernel chose; null when it had no route.</summary>
        public required string? Source { get; set; }
    }

    internal sealed class TargetRecord
    {
        /// <summary>Target:Kind.</summary>
        public required string Kind { get; set; }

        public required string Description { get; set; }

        /// <summary>The file the target writes.</summary>
        public required string Path { get; set; }

        /// <summary>The --node-ip the target file carried when the snapshot was taken (null: none); required, as the keep rule reads it.</summary>
        public required string? NodeIpInFile { get; set; }

        /// <summary>The control-plane virtual IPs the target's config names (k0s's CPLB), which are never a node IP.</summary>
        public List<VirtualIpRecord>? VirtualIps { get; set; }

        /// <summary>The files the target reads (the k0s unit, the k0s config), and whether they exist; never their content.</summary>
        public List<FileRecord> Reads { get; set; } = [];

        /// <summary>The family the target's own rule lists first (k0s's config), when that rule could be read.</summary>
        public string? PrimaryFamily { get; set; }

        /// <summary>Where that came from ("k0s config /etc/k0s/k0s.yaml: spec.network.primaryAddressFamily").</summary>
        public string? PrimaryFamilySource { get; set; }

        /// <summary>Why the target's rule could not be read; a replay fails with it as --print did.</summary>
        public string? Error { get; set; }

        /// <summary>
        /// With --with-target-files: every file the target's answers derive from, whole, so a replay derives them again
        /// with this version's code (the answers above stay for a reader). Null: only the answers are recorded.
        /// </summary>
        public TargetInputsRecord? Inputs { get; set; }

        /// <summary>The rule's answer as recorded; throws as it threw on the node.</summary>
        /// <exception cref="TargetException">The target's rule could not be read on the node.</exception>
        /// <exception cref="SnapshotException">The recorded family is neither IPv4 nor IPv6.</exception>
        public PrimaryFamilyChoice PrimaryFamilyChoice() => (Error, PrimaryFamily) switch
        {
            ({ } error, _) => throw new TargetException(error),
            (null, "IPv4") => new PrimaryFamilyChoice(IpFamily.IPv4, PrimaryFamilySource ?? "default"),
            (null, "IPv6") => new PrimaryFamilyChoice(IpFamily.IPv6, PrimaryFamilySource ?? "default"),
            (null, null) => throw new SnapshotException("target: neither primaryFamily nor error is recorded"),
            (null, var other) => throw new SnapshotException($"target.primaryFamily: \"{other}\" is not IPv4 or IPv6"),
        };
    }
}
