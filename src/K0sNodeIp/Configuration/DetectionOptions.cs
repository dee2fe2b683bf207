using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Detection</c> section: how the node IPs are found. Every key is optional.</summary>
internal sealed class DetectionOptions : IValidatableObject
{
    public const string Section = "Detection";

    private string? _primaryFamily;
    private IpFamily? _configuredPrimaryFamily;
    private string? _resolver;
    private ResolverMode? _resolverMode = ResolverMode.Auto;

    /// <summary>Node name to resolve instead of gethostname(2) (kubelet's --hostname-override).</summary>
    public string? Hostname { get; set; }

    /// <summary>
    /// IPv4 or IPv6: which family comes first in --node-ip; unset: the target's rule, else IPv4. The word as configured;
    /// <see cref="ConfiguredPrimaryFamily"/> is what it means.
    /// </summary>
    public string? PrimaryFamily
    {
        get => _primaryFamily;
        set
        {
            _primaryFamily = value;
            _configuredPrimaryFamily = ParseFamily(value, nameof(PrimaryFamily), null);
        }
    }

    /// <summary>Order of the detection steps: CanReach, Interface, Hostname, DefaultRoute.</summary>
    public string[]? Sources { get; set; }

    public string? StaticIPv4 { get; set; }

    public string? StaticIPv6 { get; set; }

    /// <summary>Interface name or regular expression (whole name) to take addresses from.</summary>
    public string? Interface { get; set; }

    /// <summary>Regular expressions (whole name) of interfaces never to take addresses from; replaces the default list.</summary>
    public string[]? SkipInterfaces { get; set; }

    /// <summary>CIDRs an address must fall in, per family; a family without any entry is unrestricted.</summary>
    public string[]? AllowedCidrs { get; set; }

    /// <summary>
    /// CIDRs an address must not fall in (keepalived, kube-vip and MetalLB virtual IPs the agent cannot know): the
    /// complement of <see cref="AllowedCidrs"/>, as Talos's excludeSubnets.
    /// </summary>
    public string[]? ExcludeCidrs { get; set; }

    /// <summary>
    /// Keep the address the target holds while it is still assigned, preferred, allowed, and offered by the step that
    /// decides (default true); false: kubelet's fresh-start rule at every event.
    /// </summary>
    public bool KeepCurrent { get; set; } = true;

    /// <summary>An IPv4 address or name: take the source address the kernel would use to reach it.</summary>
    public string? CanReachIPv4 { get; set; }

    public string? CanReachIPv6 { get; set; }

    /// <summary>
    /// Auto (as the kubelet that runs here: Go's resolver for a static kubelet), Go, or Glibc. The word as configured;
    /// <see cref="ResolverMode"/> is what it means.
    /// </summary>
    public string? Resolver
    {
        get => _resolver;
        set
        {
            _resolver = value;
            _resolverMode = value is null ? ResolverMode.Auto : Enum.TryParse<ResolverMode>(value, ignoreCase: true, out var mode) ? mode : null;
        }
    }

    /// <summary>The kubelet binary whose build decides the resolver in Auto mode; default: the kubelet unit's ExecStart.</summary>
    public string? KubeletBinary { get; set; }

    /// <summary>Per-query DNS timeout; default: resolv.conf's timeout: option, else Go's 5 s.</summary>
    public TimeSpan? DnsTimeout { get; set; }

    /// <summary>Attempts per DNS query; default: resolv.conf's attempts: option, else Go's 2.</summary>
    public int? DnsAttempts { get; set; }

    /// <summary>Bound on the whole hostname lookup; default: the resolver's own worst case, so no lookup kubelet completes is cut.</summary>
    public TimeSpan? LookupTimeout { get; set; }

    /// <summary>When an override (Interface, CanReach) finds nothing for a family, try the other sources. Default false.</summary>
    public bool OverrideFallback { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        ParseFamily(PrimaryFamily, nameof(PrimaryFamily), errors);
        ParseAddress(StaticIPv4, IpFamily.IPv4, nameof(StaticIPv4), errors);
        ParseAddress(StaticIPv6, IpFamily.IPv6, nameof(StaticIPv6), errors);
        ParseSources(errors);
        ParseRegex(Interface, nameof(Interface), errors);
        for (var i = 0; i < (SkipInterfaces?.Length ?? 0); i++)
        {
            ParseRegex(SkipInterfaces![i], $"{nameof(SkipInterfaces)}:{i}", errors);
        }

        for (var i = 0; i < (AllowedCidrs?.Length ?? 0); i++)
        {
            ParseCidr(AllowedCidrs![i], $"{nameof(AllowedCidrs)}:{i}", "192.0.2.0/24 or 2001:db8::/64", errors);
        }

        for (var i = 0; i < (ExcludeCidrs?.Length ?? 0); i++)
        {
            ParseCidr(ExcludeCidrs![i], $"{nameof(ExcludeCidrs)}:{i}", "192.0.2.100/32 or 2001:db8::100/128", errors);
        }

        if (_resolverMode is null)
        {
            errors.Add(Error(nameof(Resolver), Resolver, "must be Auto, Go or Glibc"));
        }

        if (DnsAttempts is < 1 or > 5)
        {
            errors.Add(Error(nameof(DnsAttempts), DnsAttempts.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be between 1 and 5"));
        }

        if (KubeletBinary is not null && !System.IO.Path.IsPathFullyQualified(KubeletBinary))
        {
            errors.Add(Error(nameof(KubeletBinary), KubeletBinary, "must be an absolute path"));
        }

        if (DnsTimeout is { } dnsTimeout)
        {
            CheckDuration(dnsTimeout, nameof(DnsTimeout), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), errors);
        }

        if (LookupTimeout is { } lookupTimeout)
        {
            CheckDuration(lookupTimeout, nameof(LookupTimeout), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), errors);
        }
        return errors;
    }

    /// <summary>The validated settings as the policy's input. Call only after <see cref="Validate"/> passed.</summary>
    public SelectionRules ToRules() => new()
    {
        PrimaryFamily = ConfiguredPrimaryFamily ?? IpFamily.IPv4,
        Sources = ParseSources(null) ?? SelectionRules.DefaultSources,
        StaticIPv4 = ParseAddress(StaticIPv4, IpFamily.IPv4, nameof(StaticIPv4), null),
        StaticIPv6 = ParseAddress(StaticIPv6, IpFamily.IPv6, nameof(StaticIPv6), null),
        Interface = string.IsNullOrEmpty(Interface) ? null : SelectionRules.Anchored(Interface),
        SkipInterfaces = SkipInterfaces is null ? SelectionRules.DefaultSkipRules : [.. SkipInterfaces.Select(SelectionRules.Anchored)],
        AllowedCidrs = (AllowedCidrs ?? []).Select(c => IPNetwork.Parse(c)).ToArray(),
        ExcludeCidrs = (ExcludeCidrs ?? []).Select(c => IPNetwork.Parse(c)).ToArray(),
        KeepCurrent = KeepCurrent,
        OverrideFallback = OverrideFallback,
    };

    /// <summary>
    /// <see cref="PrimaryFamily"/>, parsed when it was set: the family the operator chose, or null to let the target
    /// decide (k0s's own rule).
    /// </summary>
    public IpFamily? ConfiguredPrimaryFamily => _configuredPrimaryFamily;

    /// <summary><see cref="Resolver"/>, parsed when it was set; Auto when unset (or, before validation, unreadable).</summary>
    public ResolverMode ResolverMode => _resolverMode ?? ResolverMode.Auto;

    public DnsSettings DnsSettings => new(DnsTimeout, DnsAttempts, LookupTimeout);

    internal static ValidationResult Error(string key, string? value, string problem) =>
        new($"{Section}:{key}: \"{value}\" {problem}");

    internal static IpFamily? ParseFamily(string? value, string key, List<ValidationResult>? errors, string section = Section)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (string.Equals(value, "IPv4", StringComparison.OrdinalIgnoreCase))
        {
            return IpFamily.IPv4;
        }

        if (string.Equals(value, "IPv6", StringComparison.OrdinalIgnoreCase))
        {
            return IpFamily.IPv6;
        }

        errors?.Add(new ValidationResult($"{section}:{key}: \"{value}\" is not an address family (IPv4 or IPv6)"));
        return null;
    }

    internal static void CheckDuration(TimeSpan value, string key, TimeSpan min, TimeSpan max, List<ValidationResult> errors, string section = Section)
    {
        if (value < min || value > max)
        {
            errors.Add(new ValidationResult($"{section}:{key}: \"{value}\" must be between {min} and {max}"));
        }
    }

    private static IPAddress? ParseAddress(string? value, IpFamily family, string key, List<ValidationResult>? errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (GoAddress.TryParse(value, out var address) && address.Family() == family && !value.Contains('%', StringComparison.Ordinal))
        {
            if (AddressRules.Unusable(address) is { } why)
            {
                errors?.Add(Error(key, value, $"is {Rejection.WordsFor(why)}: kubelet rejects it as a node IP"));
                return null;
            }

            return address;
        }

        errors?.Add(Error(key, value, $"is not an {family.Name()} address"));
        return null;
    }

    private List<DetectionSource>? ParseSources(List<ValidationResult>? errors)
    {
        if (Sources is null)
        {
            return null;
        }

        var parsed = new List<DetectionSource>();
        for (var i = 0; i < Sources.Length; i++)
        {
            if (Enum.TryParse<DetectionSource>(Sources[i], ignoreCase: true, out var source) && Enum.IsDefined(source) && !char.IsDigit(Sources[i][0]))
            {
                if (parsed.Contains(source))
                {
                    errors?.Add(Error($"{nameof(Sources)}:{i}", Sources[i], "is listed twice"));
                }

                parsed.Add(source);
            }
            else
            {
                errors?.Add(Error($"{nameof(Sources)}:{i}", Sources[i], "is not a source (CanReach, Interface, Hostname, DefaultRoute)"));
            }
        }

        return parsed;
    }

    /// <summary>"InsufficientClosingParentheses" as "insufficient closing parentheses".</summary>
    private static string Describe(RegexParseError error) =>
        string.Concat(error.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>
    /// A CIDR as kubelet and k0s read one (Go's net.ParseCIDR), except that host bits are refused: 192.0.2.10/24 would be
    /// taken as 192.0.2.0/24, which is seldom what was meant (a network, or the one address /32).
    /// </summary>
    private static void ParseCidr(string value, string key, string example, List<ValidationResult> errors)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IPNetwork.TryParse(value, out var network) || slash < 0)
        {
            errors.Add(Error(key, value, $"is not a CIDR such as {example}"));
        }
        else if (IPAddress.TryParse(value.AsSpan(0, slash), out var written) && !written.Equals(network.BaseAddress))
        {
            var single = written.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            errors.Add(Error(key, value, $"has host bits set: write {network} for the network, or {written}/{single} for the one address"));
        }
    }

    private static void ParseRegex(string? pattern, string key, List<ValidationResult> errors)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return;
        }

        // The operator's own pattern first, so an error's offset is in what they wrote (not in the anchored
        // "^(?:...)$"), and a pattern that only balances inside the anchoring ("a)|(b") is refused.
        try
        {
            _ = new Regex(pattern, SelectionRules.Engine);
            _ = SelectionRules.Anchored(pattern);
        }
        catch (RegexParseException e)
        {
            errors.Add(Error(key, pattern, $"is not a valid regular expression: {Describe(e.Error)} at offset {e.Offset}"));
        }
        catch (NotSupportedException)
        {
            errors.Add(Error(key, pattern, "uses a construct the linear-time matcher does not support (a backreference, lookaround, atomic group or conditional)"));
        }
    }
}
