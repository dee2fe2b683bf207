using System.Net;

namespace K0sNodeIp.Node;

/// <summary>The source address the kernel would use towards a can-reach destination.</summary>
internal sealed record CanReachResult(string Destination, IPAddress? Source, string? Error = null);
