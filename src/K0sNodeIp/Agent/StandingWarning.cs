using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Agent;

/// <summary>What a standing warning is about.</summary>
internal enum WarningKind
{
    /// <summary>An operator's override (Detection:Interface, CanReach*, AllowedCidrs) found nothing for a family, which stays empty.</summary>
    OverrideFoundNothing,

    /// <summary>An override found nothing, and Detection:OverrideFallback let the next source decide.</summary>
    OverrideFellBack,

    /// <summary>A setting left a family empty, and the address the target holds was kept for it.</summary>
    SettingKept,

    /// <summary>The pick stands but is risky (<see cref="PickRisk"/>: a down interface, no carrier, a tunnel).</summary>
    RiskyPick,

    /// <summary>A family the target expects did not come within Watch:StartupWait; the pair was written without it.</summary>
    StartupIncomplete,

    /// <summary>A later drop-in (<see cref="StandingWarning.Subject"/>) replaces the ExecStart= that carries --node-ip.</summary>
    ExecStartOverridden,

    /// <summary>The unit (<see cref="StandingWarning.Subject"/>) failed after the agent restarted it.</summary>
    UnitFailedAfterRestart,
}

/// <summary>
/// A warning that stands while its cause lasts (in STATUS=, logged when it appears): compared by its facts, never by its
/// words, so the same finding said differently is not said again and a new one is.
/// </summary>
/// <param name="Subject">The setting, the interface, the overriding drop-in or the unit the warning names; null when none.</param>
/// <param name="Risk">For <see cref="WarningKind.RiskyPick"/>: what makes the pick risky.</param>
internal sealed record StandingWarning(WarningKind Kind, IpFamily? Family = null, IPAddress? Address = null, string? Subject = null, PickRisk? Risk = null)
{
    /// <summary>Its words for STATUS= and the journal; not part of what it is.</summary>
    public string Text { get; init; } = string.Empty;

    public bool Equals(StandingWarning? other) =>
        other is not null && Kind == other.Kind && Family == other.Family && Equals(Address, other.Address) && Subject == other.Subject && Risk == other.Risk;

    public override int GetHashCode() => HashCode.Combine(Kind, Family, Address, Subject, Risk);
}
