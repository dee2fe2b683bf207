namespace K0sNodeIp.Tests.Support;

/// <summary>
/// A fact that needs root (network namespaces, bind mounts). Skipped with its reason when not root,
/// except under CI (CI=true), where it runs and fails: CI must never skip it silently.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "needs root: creates network namespaces (run the test command as root)";
        }
    }
}
