namespace K0sNodeIp.Node;

/// <summary>
/// The resolver the kubelet of this node uses for its hostname lookup (decided by
/// the resolver selection of the sources as Go's <c>net</c> package decides), and why.
/// </summary>
/// <param name="Order">Which resolver answers, and files vs DNS order for Go's own resolver.</param>
/// <param name="Reason">Why, in words for --print.</param>
internal sealed record ResolverChoice(HostLookupOrder Order, string Reason)
{
    public bool UsesGlibc => Order == HostLookupOrder.Glibc;

    /// <summary>"Go" or "glibc", as shown by --print.</summary>
    public string Name => UsesGlibc ? "glibc" : "Go";
}
