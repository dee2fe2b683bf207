namespace K0sNodeIp.Sources;

/// <summary>
/// gethostname(2), lower-cased and trimmed as kubelet's <c>nodeutil.GetHostname</c> does, unless an
/// override is configured (kubelet's <c>--hostname-override</c>).
/// </summary>
internal sealed class SystemHostnameSource(string? hostnameOverride = null) : IHostnameSource
{
    public string GetHostname()
    {
        // Dns.GetHostName is gethostname(2) on Linux and keeps the domain part, unlike Environment.MachineName.
        var name = string.IsNullOrWhiteSpace(hostnameOverride) ? System.Net.Dns.GetHostName() : hostnameOverride;
        return name.Trim().ToLowerInvariant();
    }
}
