using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Engine.Tests.Hosting;

/// <summary>The settings are checked against the environments a command is about to act on, one line per
/// problem naming the setting; settings that work pass with no line.</summary>
public sealed class EngineSettingsCheckTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("cutover-settings-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static IReadOnlyList<CutoverEnvironment> SandboxEnvironments()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "infra", "inventory", "sandbox.yaml");
            if (File.Exists(file))
                return InventoryLoader.Parse(File.ReadAllText(file), file).Inventory!.Environments;
        }
        throw new InvalidOperationException("infra/inventory/sandbox.yaml not found");
    }

    /// <summary>What `cutover sandbox` writes, on a database in the test's directory, with edits.</summary>
    Dictionary<string, string?> Sandbox(Action<Dictionary<string, string?>>? edit = null)
    {
        var s = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = "http://127.0.0.1:4566",
            ["Aws:Accounts:0:Id"] = "111111111111",
            ["Aws:Accounts:0:AccessKeyId"] = "AKIASANDBOX000000001",
            ["Aws:Accounts:0:SecretAccessKey"] = "s",
            ["Aws:Accounts:1:Id"] = "222222222222",
            ["Aws:Accounts:1:AccessKeyId"] = "AKIASANDBOX000000002",
            ["Aws:Accounts:1:SecretAccessKey"] = "s",
            ["Sending:Verification:AuthoritativeServerOverride"] = "127.0.0.1:8053",
            ["Engine:DatabasePath"] = Path.Combine(_dir, "data", "cutover.db"),
        };
        edit?.Invoke(s);
        return s;
    }

    static IReadOnlyList<string> Check(Dictionary<string, string?> settings) =>
        EngineSettingsCheck.Problems(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            [.. SandboxEnvironments()]
        );

    [Fact]
    public void The_sandbox_settings_pass()
    {
        Assert.Empty(Check(Sandbox()));
        Assert.False(Directory.Exists(Path.Combine(_dir, "data")), "checking created the data directory");
    }

    [Fact]
    public void Each_account_without_an_entry_is_one_line_naming_its_environments_and_the_index_to_add()
    {
        var problems = Check(new Dictionary<string, string?>());
        Assert.Equal(
            [
                "Aws:Accounts: no entry for account 111111111111 (used by acme-dev, acme-stg, acme-prod and 6 more): add Aws:Accounts:0:Id = 111111111111 with AccessKeyId and SecretAccessKey, Profile or RoleArn (or none of them for the SDK's default chain), or run against the sandbox with --config sandbox.settings.json",
                "Aws:Accounts: no entry for account 222222222222 (used by globex-dev, globex-stg, globex-prod and 3 more): add Aws:Accounts:1:Id = 222222222222 with AccessKeyId and SecretAccessKey, Profile or RoleArn (or none of them for the SDK's default chain), or run against the sandbox with --config sandbox.settings.json",
            ],
            problems
        );
    }

    [Fact]
    public void Safety_caps_that_make_no_sense_are_named_before_anything_starts()
    {
        var problems = Check(
            Sandbox(s =>
            {
                s["Safety:MaxPausedEnvironments"] = "-2";
                s["Safety:Accounts:111111111111:MaxPaused"] = "0";
            })
        );
        Assert.Equal(
            [
                "Safety:MaxPausedEnvironments must be 0 (no cap) or more (was -2)",
                "Safety:Accounts:111111111111:MaxPaused must be at least 1 (was 0); leave the account out for no cap",
            ],
            problems
        );
        Assert.Empty(
            Check(
                Sandbox(s =>
                {
                    s["Safety:MaxPausedEnvironments"] = "20";
                    s["Safety:OneProductionPausePerCustomer"] = "false";
                    s["Safety:Accounts:222222222222:MaxPaused"] = "3";
                })
            )
        );
    }

    [Fact]
    public void A_profile_that_does_not_exist_is_named()
    {
        var problems = Check(
            Sandbox(s =>
            {
                s.Remove("Aws:Accounts:1:AccessKeyId");
                s.Remove("Aws:Accounts:1:SecretAccessKey");
                s["Aws:Accounts:1:Profile"] = "no-such-profile-for-cutover-tests";
            })
        );
        Assert.StartsWith(
            "Aws:Accounts:1:Profile: profile 'no-such-profile-for-cutover-tests' (account 222222222222",
            Assert.Single(problems)
        );
    }

    [Fact]
    public void A_loopback_endpoint_without_the_sandbox_dns_is_inconsistent()
    {
        var problems = Check(Sandbox(s => s.Remove("Sending:Verification:AuthoritativeServerOverride")));
        Assert.StartsWith(
            "Sending:Verification:AuthoritativeServerOverride is not set while Aws:ServiceUrl http://127.0.0.1:4566 points at this machine",
            Assert.Single(problems)
        );
    }

    [Theory]
    [InlineData("Sending:Verification:AuthoritativeServerOverride", "localhost", "is not ADDRESS:PORT")]
    [InlineData("Sending:Verification:SmtpPort", "0", "is not a port")]
    [InlineData("Aws:Ec2ServiceUrl", "127.0.0.1:4566", "is not an absolute URL")]
    public void An_endpoint_that_does_not_parse_is_named(string key, string value, string says)
    {
        var problem = Assert.Single(Check(Sandbox(s => s[key] = value)));
        Assert.Contains(key, problem, StringComparison.Ordinal);
        Assert.Contains(says, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_file_that_is_not_sqlite_is_refused_and_an_empty_one_accepted()
    {
        var file = Path.Combine(_dir, "cutover.db");
        File.WriteAllText(file, "not a database");
        Assert.Contains(
            "is not an SQLite database",
            Assert.Single(Check(Sandbox(s => s["Engine:DatabasePath"] = file)))
        );
        File.WriteAllBytes(file, []);
        Assert.Empty(Check(Sandbox(s => s["Engine:DatabasePath"] = file)));
    }

    [Fact]
    public void A_database_under_a_file_cannot_be_created()
    {
        var blocker = Path.Combine(_dir, "blocker");
        File.WriteAllText(blocker, "");
        var problem = Assert.Single(
            Check(Sandbox(s => s["Engine:DatabasePath"] = Path.Combine(blocker, "data", "cutover.db")))
        );
        Assert.Contains($"{blocker} is a file", problem, StringComparison.Ordinal);
    }
}
