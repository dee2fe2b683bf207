using System.ComponentModel.DataAnnotations;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Watch</c> section: when the daemon re-detects.</summary>
internal sealed class WatchOptions : IValidatableObject
{
    public const string Section = "Watch";

    /// <summary>Quiet time collected after the first relevant kernel event before re-detecting.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Re-check this often even without events (catches anything netlink cannot see, e.g. DNS changes).</summary>
    public TimeSpan SafetyInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a family that disappeared keeps its last good address before going single-stack.</summary>
    public TimeSpan FamilyGracePeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When the other family changes while one is in grace: write the current addresses at once instead of when the grace ends.</summary>
    public bool WriteDuringGrace { get; set; }

    /// <summary>
    /// At start, how long a family the target already holds (or k0s's dualStack asks for) may be missing before the
    /// first write and READY=1: IPv6 from SLAAC, DHCPv6 or DAD arrives seconds after IPv4 at boot. Zero: no wait.
    /// </summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When the hostname lookup decided a family, re-resolve the name this often and reconcile when its answer changed
    /// (kubelet without --node-ip re-resolves at every node-status update, about every 10 s). Zero: never.
    /// </summary>
    public TimeSpan LookupInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait after a failed detection or write; doubles up to <see cref="SafetyInterval"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        DetectionOptions.CheckDuration(Debounce, nameof(Debounce), TimeSpan.Zero, TimeSpan.FromMinutes(10), errors, Section);
        DetectionOptions.CheckDuration(SafetyInterval, nameof(SafetyInterval), TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), errors, Section);
        DetectionOptions.CheckDuration(FamilyGracePeriod, nameof(FamilyGracePeriod), TimeSpan.Zero, TimeSpan.FromDays(1), errors, Section);
        // Well inside the unit's TimeoutStartSec=120s and WatchdogSec=60s.
        DetectionOptions.CheckDuration(StartupWait, nameof(StartupWait), TimeSpan.Zero, TimeSpan.FromSeconds(60), errors, Section);
        if (LookupInterval != TimeSpan.Zero)
        {
            DetectionOptions.CheckDuration(LookupInterval, nameof(LookupInterval), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), errors, Section);
        }

        DetectionOptions.CheckDuration(RetryBackoff, nameof(RetryBackoff), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), errors, Section);
        return errors;
    }
}
