namespace K0sNodeIp.Configuration;

/// <summary><see cref="ReloadMode"/> as <c>Reload:Mode</c> spells it: lower case, compared exactly.</summary>
internal static class ReloadModeWords
{
    /// <summary>Every word, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<ReloadMode>().Select(Word)];

    public static string Word(this ReloadMode mode) => mode switch
    {
        ReloadMode.Restart => "restart",
        ReloadMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The mode <paramref name="word"/> names, or null when it names none (each word is written once, in <see cref="Word"/>).</summary>
    public static ReloadMode? Parse(string? word) =>
        Enum.GetValues<ReloadMode>().Where(value => value.Word() == word).Select(value => (ReloadMode?)value).FirstOrDefault();
}
