using System.Runtime.CompilerServices;

namespace K0sNodeIp.Tests.Support;

/// <summary>
/// Keeps every k0s-node-ip the suite starts away from the host's /var/lib/k0s-node-ip/state.json, which on a node
/// with the package installed is the real agent's record: the state file's environment setting is set once for this
/// process, so every child (through ip netns exec, unshare, setpriv) inherits it, and a test that names its own
/// --Reload:StateFile still wins (the command line comes above the environment).
/// </summary>
public static class HostStateSandbox
{
    public const string HostStateFolder = "/var/lib/k0s-node-ip";

    public const string Variable = "K0SNODEIP_Reload__StateFile";

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), $"k0snip-state-{Environment.ProcessId}");

    public static string StateFile => Path.Combine(Folder, "state.json");

#pragma warning disable CA2255 // The test assembly's own set-up: it must be in place before any test starts a process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        Directory.CreateDirectory(Folder);

        // Tests run some programs as nobody (setpriv): they may record their state here too.
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        Environment.SetEnvironmentVariable(Variable, StateFile);
    }
}
