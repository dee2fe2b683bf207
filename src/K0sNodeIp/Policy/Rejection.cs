using System.Net;

namespace K0sNodeIp.Policy;

/// <summary>A rejection and its words for the explanation: the one place those words are made.</summary>
internal readonly record struct Rejection(RejectionReason Reason, string Words)
{
    /// <summary>An address kubelet's validateNodeIP rejects (<see cref="AddressRules.Unusable"/>), in Go's word for it.</summary>
    public static Rejection Of(RejectionReason unusable) => new(unusable, WordsFor(unusable));

    public static Rejection SkippedInterface(string interfaceName, string rule) =>
        new(RejectionReason.SkippedInterface, $"interface {interfaceName} skipped by rule \"{rule}\"");

    public static Rejection OutsideAllowedCidrs { get; } = new(RejectionReason.OutsideAllowedCidrs, "outside Detection:AllowedCidrs");

    public static Rejection VirtualIp(string origin) =>
        new(RejectionReason.VirtualIp, $"a control-plane virtual IP ({origin} in the k0s config), never a node IP");

    public static Rejection ExcludedCidr(IPNetwork excluded) => new(RejectionReason.ExcludedCidr, $"inside Detection:ExcludeCidrs {excluded}");

    public static Rejection NotLocal { get; } = new(RejectionReason.NotLocal, "not assigned to a local interface");

    public static Rejection HostnameNotLocal { get; } = new(
        RejectionReason.HostnameNotLocal,
        "not assigned to a local interface: kubelet takes a hostname IP unchecked only without --node-ip, and would reject it as the --node-ip written here");

    /// <param name="first">The address taken before this one, with its source when that is another step's.</param>
    public static Rejection Outranked(string first) => new(RejectionReason.Outranked, $"usable, but {first} comes first");

    public static Rejection LessStable(string instability, IPAddress stable) => new(RejectionReason.LessStable, $"{instability}: stable {stable} preferred");

    public static Rejection NotKept(IPAddress held) => new(RejectionReason.NotKept, $"usable, but the target's current {held} is kept (Detection:KeepCurrent)");

    /// <summary>Go's word for an address class it does not take as a node IP ("loopback", "link-local", ...).</summary>
    public static string WordsFor(RejectionReason unusable) => unusable switch
    {
        RejectionReason.Unspecified => "unspecified",
        RejectionReason.Loopback => "loopback",
        RejectionReason.Multicast => "multicast",
        RejectionReason.LinkLocal => "link-local",
        RejectionReason.Broadcast => "broadcast",
        _ => throw new ArgumentOutOfRangeException(nameof(unusable), unusable, "not an address class"),
    };
}
