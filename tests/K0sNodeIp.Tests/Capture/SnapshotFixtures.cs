using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Capture;

/// <summary>The snapshot files kept as regression fixtures: Fixtures/snapshots/*.json.</summary>
internal static class SnapshotFixtures
{
    public static string Folder => Fixture.PathOf("snapshots");

    public static IEnumerable<string> Paths() => Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal);
}
