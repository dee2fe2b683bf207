using System.Reflection;
using System.Text.RegularExpressions;
using K0sNodeIp.Configuration;
using K0sNodeIp.Tests.Support;

namespace K0sNodeIp.Tests.Configuration;

/// <summary>The one table of settings is held to the option properties, to the README's table, and to the binder.</summary>
public sealed partial class SettingsTableTests
{
    /// <summary>Every settable property of each section's options, in declaration order, with its section's name.</summary>
    private static readonly (string Path, Type Type)[] Properties =
    [
        .. typeof(K0sNodeIpOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(section => section.MetadataToken)
            .SelectMany(section => section.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true })
                .OrderBy(p => p.MetadataToken)
                .Select(p => ($"{SectionName(section.PropertyType)}:{p.Name}", p.PropertyType))),
    ];

    [Fact]
    public void Every_settable_option_property_has_exactly_one_row_and_every_row_a_property()
    {
        Assert.Equal(Properties.Select(p => p.Path).Order(StringComparer.Ordinal), Settings.All.Select(s => s.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rows_follow_the_properties_order_which_the_binder_reads_them_in()
    {
        Assert.Equal(Properties.Select(p => p.Path), Settings.All.Select(s => s.Path));
    }

    [Fact]
    public void Each_row_has_the_kind_of_its_property()
    {
        foreach (var (path, type) in Properties)
        {
            var setting = Settings.All.Single(s => s.Path == path);
            SettingKind[] expected = (Nullable.GetUnderlyingType(type) ?? type) switch
            {
                var t when t == typeof(TimeSpan) => [SettingKind.Duration],
                var t when t == typeof(int) => [SettingKind.WholeNumber],
                var t when t == typeof(bool) => [SettingKind.Flag],
                var t when t == typeof(string[]) => [SettingKind.List],
                var t when t == typeof(string) => [SettingKind.Text, SettingKind.Choice],
                var t => throw new InvalidOperationException($"{path}: no kind for {t}"),
            };

            Assert.True(expected.Contains(setting.Kind), $"{path} is {setting.Kind}, its property {type.Name}");
            Assert.Equal(setting.Kind == SettingKind.Choice, setting.Words.Count > 0 && setting.Kind != SettingKind.List);
        }
    }

    [Fact]
    public void Readme_configuration_table_names_every_setting_and_no_other()
    {
        var readme = File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("\n## Configuration\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];

        var documented = TableKey().Matches(section).SelectMany(row => KeyName().Matches(row.Groups[1].Value)).Select(key => key.Groups[1].Value).ToList();

        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(Settings.All.Select(s => s.Path).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Answered_on_the_node_are_the_lookup_settings_and_every_target_setting()
    {
        string[] lookup = ["Detection:Resolver", "Detection:KubeletBinary", "Detection:DnsTimeout", "Detection:DnsAttempts", "Detection:LookupTimeout"];

        var answered = Settings.All.Where(s => s.AnsweredBy != RecordedAnswer.None).Select(s => s.Path).ToList();

        Assert.Equal([.. lookup, .. Settings.All.Where(s => s.Section == TargetOptions.Section).Select(s => s.Path)], answered);
        Assert.Equal(lookup, Settings.All.Where(s => s.AnsweredBy == RecordedAnswer.Lookup).Select(s => s.Path));
        Assert.Equal(RecordedAnswer.TargetFiles, Settings.AnswerOf("target:unit"));
        Assert.Equal(RecordedAnswer.None, Settings.AnswerOf("Detection:AllowedCidrs:0"));
        Assert.All(EffectiveSettings.Of(OptionsLoader.LoadRecorded([], [])).Keys,
            key => Assert.Equal(answered.Contains(key), Settings.IsAnsweredOnTheNode(key)));
        Assert.False(Settings.IsAnsweredOnTheNode("Target:KindOf"));
        Assert.True(Settings.All.Single(s => s.Path == "Detection:Sources").Holds("Detection:Sources:3"));
        Assert.False(Settings.All.Single(s => s.Path == "Detection:Resolver").Holds("Detection:Resolver:0"));
    }

    [Fact]
    public void Settings_that_refuse_null_are_those_whose_property_cannot_hold_it()
    {
        string[] refusing = ["Target:Kind", "Target:UnitDirectory", "Target:DropInName", "Target:Template", "Reload:Mode", "Reload:StateFile"];

        Assert.Equal(refusing, Settings.All.Where(s => s.RefusesNull).Select(s => s.Path));
        Assert.All(refusing, key => Assert.Throws<ConfigurationException>(() => OptionsLoader.LoadRecorded([new(key, null)], [])));
    }

    [Fact]
    public void Every_word_of_a_choice_is_accepted_and_a_word_outside_it_refused()
    {
        foreach (var setting in Settings.All.Where(s => s.Kind == SettingKind.Choice))
        {
            Assert.All(setting.Words, word => OptionsLoader.LoadRecorded([], [$"--{setting.Path}={word}", "--Target:Path=/etc/x"]));
            Assert.Throws<ConfigurationException>(() => OptionsLoader.LoadRecorded([], [$"--{setting.Path}=nonsense", "--Target:Path=/etc/x"]));
        }

        var sources = Settings.All.Single(s => s.Path == "Detection:Sources");
        var options = OptionsLoader.LoadRecorded([], [.. sources.Words.Select((word, i) => $"--Detection:Sources:{i}={word}")]);
        Assert.Equal(sources.Words, options.Detection.Sources!);
    }

    [Theory]
    [InlineData(nameof(SettingKind.Duration), "00:00:02"), InlineData(nameof(SettingKind.Duration), " 3 "), InlineData(nameof(SettingKind.Duration), "1.2:3:4"), InlineData(nameof(SettingKind.Duration), "-1")]
    [InlineData(nameof(SettingKind.Duration), "forever"), InlineData(nameof(SettingKind.Duration), "99999999999"), InlineData(nameof(SettingKind.Duration), "00:00:01,5"), InlineData(nameof(SettingKind.Duration), " ")]
    [InlineData(nameof(SettingKind.WholeNumber), "+3"), InlineData(nameof(SettingKind.WholeNumber), " 3 "), InlineData(nameof(SettingKind.WholeNumber), "0x10"), InlineData(nameof(SettingKind.WholeNumber), "2.5")]
    [InlineData(nameof(SettingKind.WholeNumber), "99999999999"), InlineData(nameof(SettingKind.WholeNumber), "\u0661"), InlineData(nameof(SettingKind.Flag), "TRUE"), InlineData(nameof(SettingKind.Flag), " false ")]
    [InlineData(nameof(SettingKind.Flag), "yes"), InlineData(nameof(SettingKind.Flag), "1"), InlineData(nameof(SettingKind.Duration), ""), InlineData(nameof(SettingKind.Flag), "")]
    public void A_value_is_refused_before_binding_exactly_when_the_binder_could_not_read_it(string kind, string value)
    {
        foreach (var setting in Settings.All.Where(s => s.Kind == Enum.Parse<SettingKind>(kind)))
        {
            var refused = setting.Unreadable(value) is not null;

            var error = Record.Exception(() => OptionsLoader.LoadRecorded([], [$"--{setting.Path}={value}"]));

            // Never the binder's own conversion error: what the check lets through, the binder reads.
            Assert.False(error?.InnerException is InvalidOperationException, $"{setting.Path}={value}: {error?.Message}");
            Assert.Equal(refused, error?.Message.StartsWith($"{setting.Path}: \"{value}\" is not ", StringComparison.Ordinal) ?? false);
        }
    }

    private static string SectionName(Type options) => (string)options.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    [GeneratedRegex(@"(?m)^\| (`[^|]+) \|")]
    private static partial Regex TableKey();

    [GeneratedRegex(@"`([A-Za-z]+:[A-Za-z0-9]+)`")]
    private static partial Regex KeyName();
}
