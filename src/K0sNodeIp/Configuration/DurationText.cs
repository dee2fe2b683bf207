using System.Globalization;
using System.Text.RegularExpressions;

namespace K0sNodeIp.Configuration;

/// <summary>
/// Durations as operators write them for systemd (systemd.time(7): <c>30s</c>, <c>2min</c>, <c>500ms</c>,
/// <c>1h 30min</c>) besides .NET's <c>hh:mm:ss</c>; a bare number is refused, since .NET would read <c>2</c> as two
/// days and systemd as two seconds.
/// </summary>
internal static partial class DurationText
{
    /// <summary>What a duration setting accepts, for error messages.</summary>
    public const string Expected = "expected hh:mm:ss (e.g. 00:00:02), or systemd's form (2s, 500ms, 5min, 1h 30min)";

    /// <summary>The duration <paramref name="text"/> names in systemd's form, or null when it is not in that form.</summary>
    public static TimeSpan? ParseSystemd(string text)
    {
        var match = SystemdForm().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        var units = match.Groups["unit"].Captures;
        var numbers = match.Groups["number"].Captures;
        try
        {
            for (var i = 0; i < numbers.Count; i++)
            {
                total += Span(double.Parse(numbers[i].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), units[i].Value);
            }
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            // Longer than a TimeSpan holds: not a duration the agent can wait.
            return null;
        }

        return total;
    }

    private static TimeSpan Span(double number, string unit) => unit switch
    {
        "us" or "usec" or "µs" => TimeSpan.FromMicroseconds(number),
        "ms" or "msec" => TimeSpan.FromMilliseconds(number),
        "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(number),
        "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(number),
        "h" or "hr" or "hour" or "hours" => TimeSpan.FromHours(number),
        "d" or "day" or "days" => TimeSpan.FromDays(number),
        _ => TimeSpan.FromDays(7 * number),
    };

    /// <summary>A number alone other than zero, which .NET and systemd read differently (days, seconds).</summary>
    public static bool IsBareNumber(string text) => BareNumber().IsMatch(text);

    [GeneratedRegex(@"^\s*(?:(?<number>\d+(?:\.\d+)?)\s*(?<unit>usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w)\s*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex SystemdForm();

    // Zero is zero in every unit, so "0" (earlier releases' documented way to turn a timer off) is not refused.
    [GeneratedRegex(@"^\s*(?!0+(?:\.0+)?\s*$)\d+(?:\.\d+)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumber();
}
