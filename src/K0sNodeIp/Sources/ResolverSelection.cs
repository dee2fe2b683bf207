using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// Decides the resolver the kubelet of this node uses for its hostname lookup as Go's <c>net</c> package decides
/// (conf.go, <c>hostLookupOrder</c>) for a kubelet built with or without cgo.
/// </summary>
internal static class ResolverSelection
{
    /// <param name="mode">Detection:Resolver.</param>
    /// <param name="kubelet">How the kubelet was built (asked only in Auto mode).</param>
    /// <param name="nsswitch">The hosts sources, or null when nsswitch.conf is missing.</param>
    /// <param name="resolvConfNeedsLibc">resolv.conf is unreadable or has an option Go does not know.</param>
    /// <param name="name">The name being looked up.</param>
    /// <param name="machineHostname">gethostname(2), for Go's myhostname rule.</param>
    /// <param name="files">Facts about other files Go's choice reads (nsswitch.conf unreadable, /etc/mdns.allow).</param>
    public static ResolverChoice Decide(
        ResolverMode mode,
        Func<KubeletBuild> kubelet,
        IReadOnlyList<NsSource>? nsswitch,
        bool resolvConfNeedsLibc,
        string name,
        string machineHostname,
        ResolverFiles? files = null)
    {
        files ??= ResolverFiles.Plain;
        switch (mode)
        {
            case ResolverMode.Glibc:
                return new ResolverChoice(HostLookupOrder.Glibc, "Detection:Resolver=Glibc: glibc's getaddrinfo");
            case ResolverMode.Go:
                return new ResolverChoice(GoOrder(canUseCgo: false, nsswitch, resolvConfNeedsLibc, name, machineHostname, files, out _), "Detection:Resolver=Go: Go's resolver");
        }

        var build = kubelet();
        if (build.Static)
        {
            // netdns=cgo asks for a resolver a static binary does not have (Go's mustUseGoResolver: !cgoAvailable).
            var why = build.NetDns == GoDebugNetDns.Cgo ? $"{build.Why} ({build.NetDnsOrigin} is ignored without cgo)" : build.Why;
            return GoResolver(why, nsswitch, resolvConfNeedsLibc, name, machineHostname, files);
        }

        switch (build.NetDns)
        {
            case GoDebugNetDns.Go:
                // conf.netGo: Go's resolver, with the order nsswitch.conf gives, as without cgo.
                return GoResolver($"{build.Why}, but {build.NetDnsOrigin}", nsswitch, resolvConfNeedsLibc, name, machineHostname, files);
            case GoDebugNetDns.Cgo:
                // conf.netCgo: glibc before any file is looked at.
                return new ResolverChoice(HostLookupOrder.Glibc, $"{build.Why}, and {build.NetDnsOrigin}: glibc's getaddrinfo");
        }

        var cgoOrder = GoOrder(canUseCgo: true, nsswitch, resolvConfNeedsLibc, name, machineHostname, files, out var cause);
        return cgoOrder == HostLookupOrder.Glibc
            ? new ResolverChoice(cgoOrder, $"{build.Why}: glibc's getaddrinfo, as {cause}")
            : new ResolverChoice(cgoOrder, $"{build.Why}, but Go's own resolver serves nsswitch.conf's hosts line ({string.Join(" ", nsswitch?.Select(s => s.Name) ?? ["files", "dns"])})");
    }

    /// <summary>
    /// The resolver a static kubelet (upstream from 1.38, kubernetes PR 135870) would use for the same lookup: Go's own,
    /// whatever the kubelet here does. Asked when the kubelet here is a cgo build that hands the lookup to glibc.
    /// </summary>
    public static ResolverChoice StaticKubelet(IReadOnlyList<NsSource>? nsswitch, bool resolvConfNeedsLibc, string name, string machineHostname, ResolverFiles? files = null) =>
        GoResolver("a static kubelet (upstream 1.38+)", nsswitch, resolvConfNeedsLibc, name, machineHostname, files ?? ResolverFiles.Plain);

    private static ResolverChoice GoResolver(string why, IReadOnlyList<NsSource>? nsswitch, bool resolvConfNeedsLibc, string name, string machineHostname, ResolverFiles files)
    {
        var order = GoOrder(canUseCgo: false, nsswitch, resolvConfNeedsLibc, name, machineHostname, files, out _);
        var unknown = NonGoModules(nsswitch);
        var note = unknown.Count == 0 ? string.Empty : $"; nsswitch.conf's {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not consulted";
        return new ResolverChoice(order, $"{why}: Go's resolver{note}");
    }

    private static List<string> NonGoModules(IReadOnlyList<NsSource>? nsswitch) =>
        nsswitch?.Select(s => s.Name).Where(n => n is not ("files" or "dns")).Distinct().ToList() ?? [];

    /// <summary>Go's hostLookupOrder for Linux, after the GODEBUG netdns and build-tag checks (<see cref="Decide"/> makes the former; kubelet has no netgo/netcgo tag).</summary>
    internal static HostLookupOrder GoOrder(bool canUseCgo, IReadOnlyList<NsSource>? nsswitch, bool resolvConfNeedsLibc, string name, string machineHostname, ResolverFiles files, out string cgoCause)
    {
        var fallback = canUseCgo ? HostLookupOrder.Glibc : HostLookupOrder.FilesDns;
        cgoCause = string.Empty;
        if (canUseCgo && resolvConfNeedsLibc)
        {
            cgoCause = "/etc/resolv.conf is unreadable or has an option Go does not know";
            return HostLookupOrder.Glibc;
        }

        if (files.NsSwitchUnreadable)
        {
            cgoCause = "/etc/nsswitch.conf cannot be read";
            return fallback;
        }

        if (nsswitch is null || nsswitch.Count == 0)
        {
            return HostLookupOrder.FilesDns;
        }

        var host = name.TrimEnd('.');
        bool filesSource = false, dnsSource = false, hasDnsSource = false, hasDnsSourceChecked = false;
        string? first = null;
        for (var i = 0; i < nsswitch.Count; i++)
        {
            var source = nsswitch[i];
            if (source.Name is "files" or "dns")
            {
                if (canUseCgo && !source.HasStandardCriteria())
                {
                    cgoCause = $"nsswitch.conf gives {source.Name} non-default [actions]";
                    return fallback;
                }

                if (source.Name == "files")
                {
                    filesSource = true;
                }
                else
                {
                    hasDnsSource = hasDnsSourceChecked = dnsSource = true;
                }

                first ??= source.Name;
                continue;
            }

            if (canUseCgo)
            {
                if (host.Length > 0 && source.Name == "myhostname")
                {
                    if (IsLocalhost(host) || host.Equals("_gateway", StringComparison.OrdinalIgnoreCase) || host.Equals("_outbound", StringComparison.OrdinalIgnoreCase)
                        || host.Equals(machineHostname, StringComparison.OrdinalIgnoreCase))
                    {
                        cgoCause = $"nsswitch.conf names myhostname and {host} is this machine's name";
                        return fallback;
                    }

                    continue;
                }

                // Go's own rule for mdns: only .local names, or any name when /etc/mdns.allow may widen that, go to glibc.
                if (host.Length > 0 && source.Name.StartsWith("mdns", StringComparison.Ordinal))
                {
                    if (host.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
                    {
                        cgoCause = $"nsswitch.conf names {source.Name} and {host} is a .local name";
                        return fallback;
                    }

                    if (files.MdnsAllow is not false)
                    {
                        cgoCause = $"nsswitch.conf names {source.Name} and /etc/mdns.allow {(files.MdnsAllow is null ? "cannot be checked" : "exists")}";
                        return fallback;
                    }

                    continue;
                }

                cgoCause = $"nsswitch.conf names {source.Name}";
                return fallback;
            }

            // Without cgo, a source Go does not know stands for DNS, but only when no dns source follows.
            if (!hasDnsSourceChecked)
            {
                hasDnsSourceChecked = true;
                hasDnsSource = nsswitch.Skip(i + 1).Any(s => s.Name == "dns");
            }

            if (!hasDnsSource)
            {
                dnsSource = true;
                first ??= "dns";
            }
        }

        if (filesSource && dnsSource)
        {
            return first == "files" ? HostLookupOrder.FilesDns : HostLookupOrder.DnsFiles;
        }

        if (filesSource)
        {
            return HostLookupOrder.Files;
        }

        if (dnsSource)
        {
            return HostLookupOrder.Dns;
        }

        cgoCause = "nsswitch.conf's hosts line names neither files nor dns";
        return fallback;
    }

    private static bool IsLocalhost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.Equals("localhost.localdomain", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost.localdomain", StringComparison.OrdinalIgnoreCase);
}
