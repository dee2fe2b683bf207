namespace K0sNodeIp.Sources;

/// <summary>What Go's resolver choice reads besides nsswitch.conf's hosts line and resolv.conf.</summary>
/// <param name="NsSwitchUnreadable">nsswitch.conf exists but cannot be read (a cgo build then asks glibc).</param>
/// <param name="MdnsAllow">/etc/mdns.allow exists (true), does not (false), or cannot be checked (null).</param>
internal sealed record ResolverFiles(bool NsSwitchUnreadable, bool? MdnsAllow)
{
    public const string MdnsAllowPath = "/etc/mdns.allow";

    public static ResolverFiles Plain { get; } = new(false, false);
}
