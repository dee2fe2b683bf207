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

    /// <summary>First wait after a failed detection or write; doubles up to <see cref="SafetyInterval"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        DetectionOptions.CheckDuration(Debounce, nameof(Debounce), TimeSpan.Zero, TimeSpan.FromMinutes(10), errors, Section);
        DetectionOptions.CheckDuration(SafetyInterval, nameof(SafetyInterval), TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), errors, Section);
        DetectionOptions.CheckDuration(FamilyGracePeriod, nameof(FamilyGracePeriod), TimeSpan.Zero, TimeSpan.FromDays(1), errors, Section);
        DetectionOptions.CheckDuration(RetryBackoff, nameof(RetryBackoff), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), errors, Section);
        return errors;
    }
}
