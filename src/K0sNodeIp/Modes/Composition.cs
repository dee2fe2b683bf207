using K0sNodeIp.Agent;
using K0sNodeIp.Apply;
using K0sNodeIp.Capture;
using K0sNodeIp.Configuration;
using K0sNodeIp.Detection;
using K0sNodeIp.Node;
using K0sNodeIp.Reload;
using K0sNodeIp.Sources;
using K0sNodeIp.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Modes;

/// <summary>
/// Wires the pieces together: for --once without a host, for the daemon with the generic host and its systemd
/// integration (Type=notify readiness, STOPPING=1, SIGTERM). The only place that knows every concrete type.
/// </summary>
internal static class Composition
{
    /// <summary>The detector on the real host: the system resolver as the kubelet here would use it, netlink, /proc.</summary>
    /// <param name="recorder">For --snapshot: keeps a copy of everything the sources read.</param>
    /// <param name="forReports">--print, --check, --snapshot: also the lookup a static kubelet would make (the upgrade note); the daemon and --once never show it.</param>
    /// <param name="target">The target whose inputs the read stage reads with the node (the same instance the mode renders and writes with).</param>
    public static NodeIpDetector CreateDetector(K0sNodeIpOptions options, INodeIpTarget target, NodeRecorder? recorder = null, bool forReports = true)
    {
        var detection = options.Detection;
        ISourceAddressProbe probe = new UdpSourceAddressProbe();
        probe = recorder?.Record(probe) ?? probe;
        var kubelet = KubeletBuildOf(options);
        kubelet = recorder?.Record(kubelet) ?? kubelet;
        IHostLookup lookup = new SystemHostLookup(detection.ResolverMode, detection.DnsSettings, probe, kubelet);
        lookup = recorder?.Record(lookup) ?? lookup;
        Func<RouteTable> routes = recorder is null ? () => RouteFileParser.ReadTable() : recorder.RecordRoutes(() => RouteFileParser.ReadTexts());
        // What the target holds now: the keep rule starts from it, and its config's virtual IPs are never a node IP.
        var reader = new SnapshotReader(new SystemHostnameSource(detection.Hostname), lookup, new NetlinkInterfaces(), probe, routes,
            lookupAsStaticKubeletToo: forReports, readTarget: files => files.ReadTarget(target));
        return new NodeIpDetector(reader, detection);
    }

    /// <summary>The detector over a --snapshot's recorded node: the same policy, nothing read from this machine.</summary>
    public static NodeIpDetector CreateDetector(RecordedNode node, K0sNodeIpOptions options) => new(node.CreateReader(), options.Detection);

    /// <exception cref="SnapshotException">A recorded field cannot be read.</exception>
    public static RecordedNode CreateRecordedNode(SnapshotDocument document, K0sNodeIpOptions options) =>
        new(document, options.Detection, TargetFactory.Create(options.Target, recordedPath: document.Target.Path));

    /// <summary>For --snapshot: keeps a copy of everything the sources read.</summary>
    public static NodeRecorder CreateRecorder() => new();

    /// <summary>The configured target (Target:Kind): a new kind is one file in Targets/ and one line in <see cref="TargetFactory"/>.</summary>
    public static INodeIpTarget CreateTarget(K0sNodeIpOptions options) => TargetFactory.Create(options.Target);

    /// <summary>--check's and the metrics' comparison with the running kubelet.</summary>
    public static Check.DriftCheck CreateDriftCheck(K0sNodeIpOptions options, INodeIpTarget target, string procRoot = "/proc") =>
        new(target, new Check.KubeletProcessFinder(procRoot, () => target.Unit ?? options.Target.EffectiveUnit));

    /// <summary>The metrics text file for node_exporter.</summary>
    public static Metrics.MetricsReporter CreateMetrics(string path, Check.DriftCheck? drift, TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory loggers) =>
        new(path, drift, time, loggers.CreateLogger("Metrics"));

    /// <summary>Logging for a one-shot mode (standard error) or the daemon (the journal's standard output).</summary>
    public static SerilogLoggerFactory CreateLoggers(bool toStandardError) => new(Logging.Create(toStandardError), dispose: true);

    /// <summary>How the kubelet that will run was built: k0s's is static; otherwise its binary tells.</summary>
    private static Func<ITargetFiles, KubeletBuild> KubeletBuildOf(K0sNodeIpOptions options)
    {
        if (options.Target.TargetKind == TargetKind.K0s && string.IsNullOrEmpty(options.Detection.KubeletBinary))
        {
            return _ => KubeletBuild.K0s;
        }

        var directories = new[] { options.Target.UnitDirectory }.Concat(KubeletBinaryLocator.DefaultUnitDirectories).Distinct().ToArray();
        var unit = options.Target.TargetKind == TargetKind.Kubeadm ? options.Target.EffectiveUnit ?? "kubelet" : "kubelet";
        return new KubeletBinaryLocator(options.Detection.KubeletBinary, unit, directories).Inspect;
    }

    /// <summary>The reconciler and what it needs, from validated options.</summary>
    public static (Reconciler Reconciler, UnitReloader Reloader) Compose(K0sNodeIpOptions options, INodeIpTarget target, NodeIpDetector detector, Microsoft.Extensions.Logging.ILoggerFactory loggers, TimeProvider time, bool asDaemon)
    {
        var systemd = new FallbackSystemdManager(new DbusSystemdManager(), new SystemctlSystemdManager(), loggers.CreateLogger("Reload"));
        var reloader = new UnitReloader(systemd, options.Reload, time, loggers.CreateLogger("Reload"));
        var grace = asDaemon ? new FamilyGrace(options.Watch.FamilyGracePeriod, time, options.Watch.WriteDuringGrace) : null;
        var reconciler = new Reconciler(detector, target, options.Detection.ConfiguredPrimaryFamily, reloader, options.Target.EffectiveUnit, grace, loggers.CreateLogger("Reconcile"), options.Reload.StateFile)
        {
            FollowsRefusedStarts = asDaemon,
            SpreadsRestarts = asDaemon,
            // The first-start guard reads /etc/systemd/system's units only; holds need the unit's RuntimeDirectory=.
            Holds = asDaemon && options.Reload.Enabled && target.FirstStartUnits.Count > 0
                && options.Target.UnitDirectory.TrimEnd('/') == Formats.UnitDropIns.SystemUnitDirectory ? StartHolds.UnderRuntimeDirectory() : null,
            OwnUnit = asDaemon && target.IsUnitDropIn ? OwnUnit.Read() : null,
        };
        reloader.Completed += reconciler.OnReloadCompleted;
        // Holds a previous run left (its RuntimeDirectory= kept) are not this run's: the first reconcile decides anew.
        reconciler.Holds?.ReleaseAll();
        if (options.Metrics.EffectiveTextfilePath() is { } metrics)
        {
            reconciler.Observer = CreateMetrics(metrics, CreateDriftCheck(options, target), time, loggers);
        }

        return (reconciler, reloader);
    }

    /// <summary>--once: one reconcile, then exit.</summary>
    public static async Task<ReconcileResult> RunOnceAsync(K0sNodeIpOptions options, bool dryRun, CancellationToken cancellationToken)
    {
        using var logger = Logging.Create(toStandardError: true);
        using var loggers = new SerilogLoggerFactory(logger);
        var target = CreateTarget(options);
        var (reconciler, reloader) = Compose(options, target, CreateDetector(options, target, forReports: false), loggers, TimeProvider.System, asDaemon: false);
        using (reloader)
        {
            return await reconciler.ReconcileAsync("once", dryRun, cancellationToken);
        }
    }

    /// <summary>The daemon, until SIGTERM; returns the exit status (1 when its loop failed).</summary>
    public static async Task<int> RunDaemonAsync(K0sNodeIpOptions options, bool dryRun)
    {
        var logger = Logging.Create(toStandardError: false);
        // The pieces are composed before the host; the host's own logging is Serilog's registration of the same logger.
        var loggers = new SerilogLoggerFactory(logger, dispose: false);
        var target = CreateTarget(options);
        var detector = CreateDetector(options, target, forReports: false);
        var (reconciler, reloader) = Compose(options, target, detector, loggers, TimeProvider.System, asDaemon: true);
        var debouncer = new Debouncer(options.Watch.Debounce, TimeProvider.System);
        var rules = detector.Rules;
        var watcher = new NetlinkWatcher(
            name => rules.SkipRuleFor(name) is not null,
            allRoutes: !string.IsNullOrEmpty(options.Detection.CanReachIPv4) || !string.IsNullOrEmpty(options.Detection.CanReachIPv6),
            debouncer.Signal,
            loggers.CreateLogger("Watch"));

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(reloader);
        AgentService? service = null;
        builder.Services.AddHostedService(sp => service = new AgentService(
            reconciler,
            watcher,
            debouncer,
            options.Watch,
            rules.Sources.Contains(Policy.DetectionSource.Hostname) ? ResolverFilePaths.Watched() : [],
            dryRun,
            sp.GetService<ISystemdNotifier>() ?? new SystemdNotifier(),
            TimeProvider.System,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            loggers.CreateLogger<AgentService>(),
            new LoopProgress(TimeProvider.System, LoopProgress.BoundFor(options))));
        using var host = builder.Build();
        try
        {
            await host.RunAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopped (SIGTERM, TimeoutStartSec) while still waiting for a first node IP: a clean stop.
            return 0;
        }
        catch (Exception e)
        {
            // Start-up failed (netlink socket, inotify limits): one line with the reason, and a non-zero exit.
            logger.Fatal("k0s-node-ip could not start: {Error}", e.Message);
            return 1;
        }

        return service?.Failure is null ? 0 : 1;
    }
}
