
namespace K0sNodeIp.Node;

/// <summary>Which family --node-ip lists first, and where that came from (a setting, a k0s config key, the default).</summary>
internal sealed record PrimaryFamilyChoice(IpFamily Family, string Origin)
{
    public static PrimaryFamilyChoice Default { get; } = new(IpFamily.IPv4, "default");
}
