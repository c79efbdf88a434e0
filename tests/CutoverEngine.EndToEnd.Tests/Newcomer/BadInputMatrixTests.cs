namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>
/// Every command meets bad input the way a newcomer's first tries produce it: missing or malformed settings, an
/// inventory that cannot be read, an unknown environment, endpoints nobody answers, a database file that is not
/// SQLite, a data directory that cannot be written. Each ends with a message naming the problem, a documented exit
/// code (README, "Running cutovers") and no stack trace; --verbose shows the trace.
/// </summary>
public sealed class BadInputMatrixTests
{
    const string Inventory = "infra/inventory/sandbox.yaml";

    /// <summary>A file every process can see but nobody can read, root included: reading it fails with EIO.</summary>
    const string UnreadableInventory = "/proc/self/mem";

    /// <summary>A directory that cannot be created, root included (proc accepts no new entries).</summary>
    const string UnwritableDatabase = "/proc/cutover-data/cutover.db";

    /// <summary>Settings that name both sandbox accounts, pointing at ports nobody listens on, with no retries so
    /// that the failure comes at once.</summary>
    const string UnreachableSettings = """
        { "Aws": { "ServiceUrl": "http://127.0.0.1:9",
            "Resilience": { "Retry": { "MaxRetryAttempts": 0 }, "CallBudget": "00:00:05", "AttemptTimeout": "00:00:02" },
            "Accounts": [
              { "Id": "111111111111", "AccessKeyId": "AKIASANDBOX000000001", "SecretAccessKey": "s" },
              { "Id": "222222222222", "AccessKeyId": "AKIASANDBOX000000001", "SecretAccessKey": "s" } ] },
          "Sending": { "Verification": { "AuthoritativeServerOverride": "127.0.0.1:9", "SmtpPort": 9 } } }
        """;

    /// <summary>The settings above with a webhook receiver whose secret names an environment variable nobody
    /// set.</summary>
    static readonly string UnusableWebhookSettings =
        UnreachableSettings.TrimEnd()[..^1]
        + """
            , "Webhooks": { "Receivers": [ { "Name": "ops", "Url": "http://127.0.0.1:9/hooks",
                "SecretEnv": "CUTOVER_TEST_NO_SUCH_WEBHOOK_SECRET" } ] } }
            """;

    public static TheoryData<string, string[], string, int, string> Matrix()
    {
        var data = new TheoryData<string, string[], string, int, string>();
        void Row(string input, string[] args, string env, int code, string says) =>
            data.Add(input, args, env, code, says);

        // Settings missing, malformed, or silent about the inventory's accounts.
        foreach (
            var command in new[]
            {
                new[] { "plan", Inventory },
                ["run", Inventory, "--all"],
                ["serve", "--inventory", Inventory],
                ["demo"],
                ["wave", "list"],
                ["wave", "start", "w1", "--inventory", Inventory],
                ["doctor", "--inventory", Inventory],
            }
        )
        {
            Row("missing settings", [.. command, "--config", "nope.json"], "", 2, "nope.json");
            Row(
                "malformed settings",
                [.. command, "--config", "bad.json"],
                "",
                2,
                "bad.json: the settings cannot be read"
            );
        }
        Row("no settings", ["plan", Inventory], "", 2, "no entry for account 111111111111");
        Row("no settings", ["run", Inventory, "--all"], "", 2, "no entry for account 222222222222");
        Row("no settings", ["serve", "--inventory", Inventory], "", 2, "--config sandbox.settings.json");

        // The inventory.
        Row("unreadable inventory", ["plan", UnreadableInventory], "", 2, "the inventory cannot be read");
        Row("unreadable inventory", ["run", UnreadableInventory, "--all"], "", 2, "the inventory cannot be read");
        Row("unreadable inventory", ["serve", "--inventory", UnreadableInventory], "", 2, "cannot be read");
        Row("unreadable inventory", ["wave", "list", "--inventory", UnreadableInventory], "", 2, "cannot be read");
        Row("unreadable inventory", ["validate", UnreadableInventory], "", 2, "cannot read the file");
        Row("unknown environment", ["plan", Inventory, "--environments", "nope"], "", 2, "nope");
        Row("unknown environment", ["run", Inventory, "--environments", "nope"], "", 2, "nope");
        Row(
            "unknown environment",
            [
                "wave",
                "create",
                "w1",
                "--environments",
                "nope",
                "--planned-start",
                "2026-12-01T00:00:00Z",
                "--inventory",
                Inventory,
            ],
            "",
            2,
            "nope"
        );
        // Customer links: no signing key, an unknown customer, settings or inventory that cannot be read.
        Row(
            "no link key",
            ["customer", "link", "acme-corp", "--inventory", Inventory],
            "",
            2,
            "Customers:LinkKey is not set"
        );
        Row(
            "short link key",
            ["customer", "link", "acme-corp", "--inventory", Inventory],
            "CUTOVER_Customers__LinkKey=c2hvcnQ=",
            2,
            "at least 32 are needed"
        );
        Row(
            "unknown customer",
            ["customer", "link", "nope", "--inventory", Inventory],
            "CUTOVER_Customers__LinkKey=" + Convert.ToBase64String(new byte[32]),
            2,
            "No customer 'nope'"
        );
        Row(
            "malformed settings",
            ["customer", "revoke", "acme-corp", "--inventory", Inventory, "--config", "bad.json"],
            "",
            2,
            "bad.json"
        );
        Row("unreadable inventory", ["customer", "list", "--inventory", UnreadableInventory], "", 2, "cannot be read");
        Row("no database yet", ["wave", "show", "nope", "--config", "unreachable.json"], "", 2, "no wave was created");

        // Endpoints nobody answers.
        Row(
            "unreachable endpoints",
            ["plan", Inventory, "--environments", "acme-dev", "--config", "unreachable.json"],
            "",
            2,
            "An endpoint did not answer"
        );
        Row(
            "unreachable endpoints",
            ["doctor", "--inventory", Inventory, "--config", "unreachable.json"],
            "",
            1,
            "FAIL"
        );

        // A webhook receiver whose secret cannot be read.
        foreach (var command in new[] { new[] { "run", Inventory, "--all" }, ["serve", "--inventory", Inventory] })
            Row(
                "unusable webhook secret",
                [.. command, "--config", "hooks.json"],
                "",
                2,
                "Webhooks:Receivers:0:SecretEnv: the environment variable CUTOVER_TEST_NO_SUCH_WEBHOOK_SECRET is not set"
            );

        // The database.
        foreach (
            var (input, path, says) in new[]
            {
                ("database not SQLite", "garbage.db", "not an SQLite database"),
                ("read-only data directory", UnwritableDatabase, "cannot be created"),
            }
        )
        {
            var env = $"CUTOVER_Engine__DatabasePath={path}";
            Row(input, ["plan", Inventory, "--config", "unreachable.json"], env, 2, says);
            Row(input, ["run", Inventory, "--all", "--config", "unreachable.json"], env, 2, says);
            Row(input, ["serve", "--inventory", Inventory, "--config", "unreachable.json"], env, 2, says);
            Row(input, ["history", "--environment", "acme-dev", "--database", path], "", 2, "database");
            Row(input, ["report", "--wave", "w1", "--database", path], "", 2, "database");
            Row(input, ["audit", "verify", "--database", path], "", 2, "database");
            // The sandbox writes a settings file, not a database: only an unwritable place refuses it.
            if (path == UnwritableDatabase)
                Row(
                    input,
                    [
                        "sandbox",
                        "--settings-out",
                        path,
                        "--aws-port",
                        "0",
                        "--dns-port",
                        "0",
                        "--sending-port",
                        "0",
                        "--smtp-port",
                        "0",
                    ],
                    "",
                    2,
                    path
                );
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Bad_input_ends_in_a_clear_message_and_a_documented_exit_code(
        string input,
        string[] args,
        string env,
        int code,
        string says
    )
    {
        var dir = CutoverProcess.CleanCheckout();
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"Aws\": { \"ServiceUrl\": ");
            File.WriteAllText(Path.Combine(dir, "unreachable.json"), UnreachableSettings);
            File.WriteAllText(Path.Combine(dir, "hooks.json"), UnusableWebhookSettings);
            File.WriteAllText(Path.Combine(dir, "garbage.db"), "this is a text file, not a database\n");
            var environment =
                env.Length == 0
                    ? null
                    : new Dictionary<string, string> { [env[..env.IndexOf('=')]] = env[(env.IndexOf('=') + 1)..] };
            var (exit, stdout, stderr) = await CutoverProcess.RunAsync(dir, args, environment);
            var said = stdout + stderr;
            Assert.True(
                exit == code,
                $"{input}: `cutover {string.Join(' ', args)}` exited {exit}, not {code}:\n{said}"
            );
            Assert.Contains(says, said, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", said, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
            Assert.False(
                Directory.Exists(Path.Combine(dir, "data")) && code == 2 && args[0] is "run" or "serve",
                $"{input}: a refused {args[0]} created the data directory"
            );
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_to_the_message()
    {
        var dir = CutoverProcess.CleanCheckout();
        try
        {
            File.WriteAllText(Path.Combine(dir, "unreachable.json"), UnreachableSettings);
            string[] plan = ["plan", Inventory, "--environments", "acme-dev", "--config", "unreachable.json"];
            var quiet = await CutoverProcess.RunAsync(dir, plan);
            var verbose = await CutoverProcess.RunAsync(dir, [.. plan, "--verbose"]);
            Assert.Equal(quiet.ExitCode, verbose.ExitCode);
            Assert.DoesNotContain("   at ", quiet.Stderr, StringComparison.Ordinal);
            Assert.Contains("   at ", verbose.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
