namespace K0sNodeIp.Sources;

/// <summary>The kernel's two route files as read, before parsing: what a --snapshot keeps, so a replay parses them again.</summary>
/// <param name="Ipv4">The IPv4 file's text; null when it does not exist (kubelet then scans every up interface).</param>
/// <param name="Ipv6">The IPv6 file's text; null when it does not exist (a kernel without IPv6).</param>
/// <param name="Error">Why the files could not be read; null when they were.</param>
internal sealed record RouteFileTexts(string Ipv4Path, string? Ipv4, string Ipv6Path, string? Ipv6, string? Error = null);
