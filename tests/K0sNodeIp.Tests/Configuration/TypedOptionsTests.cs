using K0sNodeIp.Configuration;
using K0sNodeIp.Node;
using K0sNodeIp.Sources;

namespace K0sNodeIp.Tests.Configuration;

/// <summary>The typed settings are the words parsed once, as the validator accepted them; unset means the default.</summary>
public sealed class TypedOptionsTests
{
    [Fact]
    public void Defaults_are_typed_as_the_words_say()
    {
        var options = OptionsLoader.LoadRecorded([], []);

        Assert.Equal(TargetKind.K0s, options.Target.TargetKind);
        Assert.Equal(ReloadMode.Restart, options.Reload.ReloadMode);
        Assert.True(options.Reload.Enabled);
        Assert.Null(options.Detection.ConfiguredPrimaryFamily);
        Assert.Equal(ResolverMode.Auto, options.Detection.ResolverMode);
    }

    [Theory]
    [InlineData("k0s", nameof(TargetKind.K0s), null)] // the node decides: the k0s unit that runs a kubelet
    [InlineData("kubeadm", nameof(TargetKind.Kubeadm), "kubelet")]
    [InlineData("file", nameof(TargetKind.File), null)]
    public void Target_kind_word_gives_the_kind_and_its_unit(string word, string kindName, string? unit)
    {
        var kind = Enum.Parse<TargetKind>(kindName);
        var options = OptionsLoader.LoadRecorded([], [$"--Target:Kind={word}", "--Target:Path=/etc/x"]);

        Assert.Equal(kind, options.Target.TargetKind);
        Assert.Equal(unit, options.Target.EffectiveUnit);
        Assert.Equal(word, kind.Word());
    }

    [Theory]
    [InlineData("k0s", "k0sworker.service", "k0sworker.service.d")]
    [InlineData("k0s", "k0scontroller", "k0scontroller.service.d")]
    [InlineData("kubeadm", "kubelet.service", null)]
    public void Unit_name_and_unit_name_with_service_suffix_are_the_same_unit(string kind, string configured, string? dropInFolder)
    {
        var options = OptionsLoader.LoadRecorded([], [$"--Target:Kind={kind}", $"--Target:Unit={configured}", "--Target:EnvironmentFile=/etc/default/kubelet"]);
        var target = K0sNodeIp.Modes.TargetFactory.Create(options.Target);

        Assert.Equal(configured.Replace(".service", string.Empty, StringComparison.Ordinal), options.Target.EffectiveUnit);
        if (dropInFolder is not null)
        {
            Assert.Equal(dropInFolder, Path.GetFileName(Path.GetDirectoryName(target.Path)));
        }
    }

    [Theory]
    [InlineData("restart", nameof(ReloadMode.Restart), true)]
    [InlineData("none", nameof(ReloadMode.None), false)]
    public void Reload_mode_word_gives_the_mode(string word, string modeName, bool enabled)
    {
        var mode = Enum.Parse<ReloadMode>(modeName);
        var options = OptionsLoader.LoadRecorded([], [$"--Reload:Mode={word}"]);

        Assert.Equal(mode, options.Reload.ReloadMode);
        Assert.Equal(enabled, options.Reload.Enabled);
        Assert.Equal(word, mode.Word());
    }

    [Theory]
    [InlineData("IPv6", IpFamily.IPv6)]
    [InlineData("ipv4", IpFamily.IPv4)]
    public void Primary_family_word_gives_the_family(string word, IpFamily family)
    {
        var options = OptionsLoader.LoadRecorded([], [$"--Detection:PrimaryFamily={word}"]);

        Assert.Equal(family, options.Detection.ConfiguredPrimaryFamily);
        Assert.Equal(family, options.Detection.ToRules().PrimaryFamily);
    }

    [Theory]
    [InlineData("go", nameof(ResolverMode.Go))]
    [InlineData("Glibc", nameof(ResolverMode.Glibc))]
    [InlineData("auto", nameof(ResolverMode.Auto))]
    public void Resolver_word_gives_the_mode(string word, string modeName) =>
        Assert.Equal(Enum.Parse<ResolverMode>(modeName), OptionsLoader.LoadRecorded([], [$"--Detection:Resolver={word}"]).Detection.ResolverMode);

    [Theory]
    [InlineData("K0s")]
    [InlineData("k3s")]
    public void Target_kind_is_a_lower_case_word_and_one_it_knows(string word)
    {
        Assert.Throws<ConfigurationException>(() => OptionsLoader.LoadRecorded([], [$"--Target:Kind={word}"]));

        var unvalidated = new TargetOptions { Kind = word };
        Assert.Throws<InvalidOperationException>(() => unvalidated.TargetKind);
        Assert.Null(unvalidated.EffectiveUnit);
    }

    [Fact]
    public void Reload_mode_the_validator_refuses_has_no_type_and_does_not_restart()
    {
        Assert.Throws<ConfigurationException>(() => OptionsLoader.LoadRecorded([], ["--Reload:Mode=Restart"]));

        var unvalidated = new ReloadOptions { Mode = "Restart" };
        Assert.Throws<InvalidOperationException>(() => unvalidated.ReloadMode);
        Assert.False(unvalidated.Enabled);
    }

    [Fact]
    public void Setting_the_word_again_changes_the_type()
    {
        var target = new TargetOptions { Kind = "file" };
        var reload = new ReloadOptions { Mode = "none" };
        var detection = new DetectionOptions { PrimaryFamily = "IPv6", Resolver = "Go" };

        target.Kind = "kubeadm";
        reload.Mode = "restart";
        detection.PrimaryFamily = null;
        detection.Resolver = null;

        Assert.Equal(TargetKind.Kubeadm, target.TargetKind);
        Assert.Equal(ReloadMode.Restart, reload.ReloadMode);
        Assert.Null(detection.ConfiguredPrimaryFamily);
        Assert.Equal(ResolverMode.Auto, detection.ResolverMode);
    }

    [Fact]
    public void Every_kind_and_mode_has_a_word_that_reads_back()
    {
        Assert.All(Enum.GetValues<TargetKind>(), kind => Assert.Equal(kind, TargetKindWords.Parse(kind.Word())));
        Assert.All(Enum.GetValues<ReloadMode>(), mode => Assert.Equal(mode, ReloadModeWords.Parse(mode.Word())));
    }
}
