namespace K0sNodeIp.Tests.Support;

/// <summary>
/// How to start k0s-node-ip as a real process: the Native AOT binary named by TEST_K0S_NODE_IP_BINARY,
/// else the build output beside the tests run by the dotnet host.
/// </summary>
public static class ProgramUnderTest
{
    public static IReadOnlyList<string> Command
    {
        get
        {
            var binary = Environment.GetEnvironmentVariable("TEST_K0S_NODE_IP_BINARY");
            if (!string.IsNullOrEmpty(binary))
            {
                return [binary];
            }

            var dll = Path.Combine(AppContext.BaseDirectory, "k0s-node-ip.dll");
            return [Environment.ProcessPath ?? "dotnet", dll];
        }
    }
}
