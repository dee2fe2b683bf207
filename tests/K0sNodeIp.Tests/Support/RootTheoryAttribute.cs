namespace K0sNodeIp.Tests.Support;

/// <summary>A theory that needs root; skipped with its reason when not root, never under CI (see <see cref="RootFactAttribute"/>).</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "needs root (run the test command as root)";
        }
    }
}
