using K0sNodeIp.Node;
using Microsoft.Extensions.Logging;

namespace K0sNodeIp.Apply;

/// <summary>
/// Keeps <see cref="FamilyMisses"/> beside the state file (none without one): the transitions are
/// <see cref="FamilyMisses.After"/>'s; this loads once, and saves only when the set of missing families changes.
/// A record that cannot be saved only loses the continuation of a grace after an agent restart.
/// </summary>
internal sealed class FamilyMissBook(string? statePath, string bootId, long frequency, ILogger logger)
{
    private IReadOnlyList<FamilyMiss>? _known;

    private string? RecordPath => statePath is null ? null : FamilyMisses.PathFor(statePath);

    /// <summary>The families recorded missing in this boot (by an earlier run too).</summary>
    public IReadOnlyList<FamilyMiss> Recorded => _known ??= RecordPath is { } path ? FamilyMisses.Load(path, bootId, frequency) : [];

    /// <summary>Records a detection: which families it found, and which are in their grace now.</summary>
    public void Record(IReadOnlySet<IpFamily> detected, IReadOnlyList<FamilyMiss> inGrace)
    {
        if (RecordPath is not { } path)
        {
            return;
        }

        var previous = Recorded;
        var next = FamilyMisses.After(previous, detected, inGrace);
        if (next.SequenceEqual(previous))
        {
            return;
        }

        _known = next;
        try
        {
            new FamilyMisses(bootId, next).Save(path, frequency);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Formats.TargetException)
        {
            logger.LogWarning("cannot record the missing families in {Path}: {Error}", path, e.Message);
        }
    }
}
