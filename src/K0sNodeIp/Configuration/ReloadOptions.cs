using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace K0sNodeIp.Configuration;

/// <summary>The <c>Reload</c> section: how the kubelet picks up a change.</summary>
internal sealed class ReloadOptions : IValidatableObject
{
    public const string Section = "Reload";

    /// <summary>The default <see cref="StateFile"/>: inside the unit's StateDirectory=k0s-node-ip.</summary>
    public const string DefaultStateFile = "/var/lib/k0s-node-ip/state.json";

    private string _mode = ReloadMode.Restart.Word();
    private ReloadMode? _reloadMode = ReloadMode.Restart;

    /// <summary>
    /// restart (default): daemon-reload if a unit drop-in changed, then restart the unit. none: write only. The word as
    /// configured; <see cref="ReloadMode"/> is what it means.
    /// </summary>
    public string Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            _reloadMode = ReloadModeWords.Parse(value);
        }
    }

    /// <summary><see cref="Mode"/>, parsed when it was set.</summary>
    /// <exception cref="InvalidOperationException">Mode names no mode: the options were not validated.</exception>
    public ReloadMode ReloadMode => _reloadMode
        ?? throw new InvalidOperationException($"{Section}:{nameof(Mode)} \"{Mode}\" is not a reload mode: the options were not validated");

    /// <summary>At most one restart per this interval; changes in between are applied by one restart at its end.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The daemon spreads a restart that can wait (the address the target held is still the node's) over a random delay
    /// up to this long, so a change that reaches every node at once (a DNS change, a site-wide renumbering) does not
    /// restart every kubelet at once. Never the first write at start, nor the replacement of a vanished address, nor
    /// --once. The package's configuration sets 30 s; without a configuration file it is off.
    /// </summary>
    public TimeSpan RandomDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Tries of a failed restart (transient D-Bus errors, failed jobs), with exponential backoff.</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>How long to wait for the restart job to finish.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Where the last write and its restart are recorded (the unit's StateDirectory=), so a restart lost to a crash is made up.</summary>
    public string StateFile { get; set; } = DefaultStateFile;

    public bool Enabled => _reloadMode == ReloadMode.Restart;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        if (!System.IO.Path.IsPathFullyQualified(StateFile))
        {
            errors.Add(new ValidationResult($"{Section}:{nameof(StateFile)}: \"{StateFile}\" must be an absolute path"));
        }

        if (_reloadMode is null)
        {
            errors.Add(new ValidationResult($"{Section}:{nameof(Mode)}: \"{Mode}\" must be {string.Join(" or ", ReloadModeWords.All)}"));
        }

        DetectionOptions.CheckDuration(MinInterval, nameof(MinInterval), TimeSpan.Zero, TimeSpan.FromHours(24), errors, Section);
        DetectionOptions.CheckDuration(JobTimeout, nameof(JobTimeout), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors, Section);
        DetectionOptions.CheckDuration(RandomDelay, nameof(RandomDelay), TimeSpan.Zero, TimeSpan.FromHours(1), errors, Section);
        if (Attempts is < 1 or > 10)
        {
            errors.Add(new ValidationResult($"{Section}:{nameof(Attempts)}: \"{Attempts.ToString(CultureInfo.InvariantCulture)}\" must be between 1 and 10"));
        }

        return errors;
    }
}
