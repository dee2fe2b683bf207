using K0sNodeIp.Formats;
using K0sNodeIp.Node;

namespace K0sNodeIp.Targets;

/// <summary>What the k0s unit found on this node is, for the kubelet.</summary>
internal enum K0sUnitRole
{
    /// <summary><c>k0s install worker</c>: k0sworker.service runs the kubelet.</summary>
    Worker,

    /// <summary><c>k0s install controller --enable-worker</c> or <c>--single</c>: k0scontroller.service runs the kubelet too.</summary>
    ControllerWithWorker,

    /// <summary>A controller that runs no kubelet: nothing to write on this node.</summary>
    ControllerOnly,

    /// <summary>Neither unit is installed (k0s not installed yet, or reset).</summary>
    NotInstalled,

    /// <summary>The unit Target:Unit names, whatever it runs.</summary>
    Configured,
}

/// <summary>
/// Which k0s unit runs this node's kubelet, from the two unit files k0s install writes: k0sworker.service, else
/// k0scontroller.service when its command line has <c>--enable-worker</c> or <c>--single</c> (k0sproject/k0s
/// <c>pkg/config/cli.go</c>: <c>--single</c> implies a worker). Pure: the read stage reads the files.
/// </summary>
/// <param name="Unit">The unit whose drop-in carries the pair: the chosen one, else k0sworker (the unit to wait for).</param>
internal sealed record K0sUnitChoice(string Unit, K0sUnitRole Role)
{
    public const string Worker = "k0sworker";
    public const string Controller = "k0scontroller";

    /// <summary>The k0s units that may run this node's kubelet, the worker's first.</summary>
    public static IReadOnlyList<string> Units { get; } = [Worker, Controller];

    /// <summary>The choice from the unit files' texts (null: not installed).</summary>
    public static K0sUnitChoice Choose(string? workerUnit, string? controllerUnit)
    {
        if (workerUnit is not null)
        {
            return new(Worker, K0sUnitRole.Worker);
        }

        if (controllerUnit is null)
        {
            return new(Worker, K0sUnitRole.NotInstalled);
        }

        return RunsWorker(controllerUnit) ? new(Controller, K0sUnitRole.ControllerWithWorker) : new(Controller, K0sUnitRole.ControllerOnly);
    }

    /// <summary>True when the controller's command line enables its worker (a flag k0s's pflag reads: <c>--single</c>, <c>--enable-worker=true</c>; the last one given wins).</summary>
    private static bool RunsWorker(string controllerUnit)
    {
        IReadOnlyList<string> words;
        try
        {
            words = SystemdCommandLine.Parse(UnitFile.ExecStart(controllerUnit, ServiceUnitName.Full(Controller))).Words;
        }
        catch (TargetException)
        {
            // A command line that cannot be read: the drop-in could not copy it anyway; the worker is assumed absent.
            return false;
        }

        bool? enableWorker = null;
        bool? single = null;
        foreach (var word in words)
        {
            if (FlagValue(word, "--enable-worker") is { } enabled)
            {
                enableWorker = enabled;
            }
            else if (FlagValue(word, "--single") is { } isSingle)
            {
                single = isSingle;
            }
        }

        return enableWorker == true || single == true;
    }

    /// <summary>A boolean flag's value as pflag reads it (<c>--flag</c>, <c>--flag=true|false|1|0</c>); null when the word is not that flag.</summary>
    private static bool? FlagValue(string word, string flag)
    {
        if (word == flag)
        {
            return true;
        }

        if (!word.StartsWith(flag + "=", StringComparison.Ordinal))
        {
            return null;
        }

        return word[(flag.Length + 1)..].ToLowerInvariant() is "true" or "1" or "t";
    }
}
