namespace K0sNodeIp.Sources;

/// <summary>The node name kubelet would use.</summary>
internal interface IHostnameSource
{
    string GetHostname();
}
