namespace K0sNodeIp.Configuration;

/// <summary><see cref="TargetKind"/> as <c>Target:Kind</c> spells it: lower case, compared exactly.</summary>
internal static class TargetKindWords
{
    /// <summary>Every word, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TargetKind>().Select(Word)];

    public static string Word(this TargetKind kind) => kind switch
    {
        TargetKind.K0s => "k0s",
        TargetKind.Kubeadm => "kubeadm",
        TargetKind.File => "file",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind <paramref name="word"/> names, or null when it names none (each word is written once, in <see cref="Word"/>).</summary>
    public static TargetKind? Parse(string? word) =>
        Enum.GetValues<TargetKind>().Where(value => value.Word() == word).Select(value => (TargetKind?)value).FirstOrDefault();
}
