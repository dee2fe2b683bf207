namespace K0sNodeIp.Sources;

/// <summary>The node name kubelet would use.</summary>
public interface IHostnameSource
{
    string GetHostname();
}
