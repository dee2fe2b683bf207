namespace K0sNodeIp.Tests.Support;

/// <summary>Opens a named fixture file copied beside the tests.</summary>
public static class Fixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static StreamReader Open(string name) => new(PathOf(name));

    public static string Text(string name) => File.ReadAllText(PathOf(name));
}
