using K0sNodeIp.Formats;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace K0sNodeIp.Agent;

/// <summary>
/// Serilog set-up: under systemd, plain lines with sd-daemon priority prefixes (<c>&lt;4&gt;</c>) so journald
/// records each line's level and <c>journalctl -p warning</c> works; on a terminal, timestamped lines.
/// </summary>
internal static class Logging
{
    public static Logger Create(bool toStandardError)
    {
        var underSystemd = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null
            || Environment.GetEnvironmentVariable("INVOCATION_ID") is not null;
        // The host's own lifetime lines ("Application started. Press Ctrl+C", "Content root path") say nothing here.
        var configuration = new LoggerConfiguration().MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Warning)
            .Enrich.With<SyslogPriorityEnricher>()
            .Enrich.With<OutsideTextEnricher>();
        var fromLevel = toStandardError ? LogEventLevel.Verbose : (LogEventLevel?)null;
        return (underSystemd
                ? configuration.WriteTo.Console(outputTemplate: "<{SyslogPriority}>{Message:lj}{NewLine}{Exception}", theme: ConsoleTheme.None, standardErrorFromLevel: fromLevel)
                : configuration.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: fromLevel))
            .CreateLogger();
    }

    /// <summary>
    /// Every text value of a log event escaped (OutsideText): values quote files, DNS answers and interface names, and a
    /// control character in one would drive a terminal, or a newline split the record into lines journald takes as
    /// records of their own, without the priority. The messages' own words are constants.
    /// </summary>
    internal sealed class OutsideTextEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            foreach (var (name, value) in logEvent.Properties.ToList())
            {
                if (value is ScalarValue { Value: string text } && OutsideText.Escape(text) is var escaped && !ReferenceEquals(escaped, text))
                {
                    logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(escaped)));
                }
            }
        }
    }

    /// <summary>syslog(3) priorities for Serilog levels (sd-daemon(3) prefixes).</summary>
    private sealed class SyslogPriorityEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            var priority = logEvent.Level switch
            {
                LogEventLevel.Fatal => 2,
                LogEventLevel.Error => 3,
                LogEventLevel.Warning => 4,
                LogEventLevel.Information => 6,
                _ => 7,
            };
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SyslogPriority", priority));
        }
    }
}
