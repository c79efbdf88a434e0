using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class NoticeRelayTests
{
    static async Task<(WaveWorld World, Wave Wave, WaveNotices Notices)> WorldAsync(
        IReadOnlyList<CutoverEnvironment>? environments = null
    )
    {
        var w = new WaveWorld(environments);
        var ids = environments?.Select(e => e.Id).ToArray() ?? ["acme-dev", "acme-stg"];
        var wave = await w.Service.CreateAsync("w1", ids, WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");
        return (w, wave, w.Provider.GetRequiredService<WaveNotices>());
    }

    /// <summary>The definition's budget, read from the workflows directory the engine loads.</summary>
    static TimeSpan DefinitionBudget(WaveWorld w) =>
        w.Provider.GetRequiredService<DefinitionCatalog>().Latest("cutover").WindowBudget;

    /// <summary>The sentence a notice states, spelled out here from a budget and two instants on one day.</summary>
    static string Window(TimeSpan budget, DateTimeOffset opens, DateTimeOffset closes) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"sending paused for at most {budget.TotalMinutes} minutes between {opens:HH:mm} and {closes:HH:mm} UTC on {opens:yyyy-MM-dd}"
        );

    [Fact]
    public async Task Each_notice_accepted_by_the_relay_reaches_its_contacts_with_its_window_and_is_recorded()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false);
        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(2, relay.Messages.Count);
        var dev = Assert.Single(
            relay.Messages,
            m => m.Decoded().Subject!.Contains("(acme-dev)", StringComparison.Ordinal)
        );
        Assert.Equal(["ops@acme-dev.example.test"], dev.To);
        Assert.Equal("cutover-notices@localhost", dev.From);
        Assert.Equal("acme: planned maintenance of your development email sending (acme-dev)", dev.Decoded().Subject);
        var budget = DefinitionBudget(w);
        Assert.Contains(Window(budget, wave.PlannedStart, wave.PlannedStart + budget), dev.Decoded().TextBody);
        Assert.True(File.Exists(outcomes[0].File));

        var recorded = await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg", "acme-prod"]);
        Assert.Equal(
            new Dictionary<string, DateTimeOffset> { ["acme-dev"] = WaveWorld.T0, ["acme-stg"] = WaveWorld.T0 },
            recorded
        );
        Assert.Equal(2, (await w.JournalEventsAsync("w1")).Count(e => e == "customer-notified"));
    }

    [Fact]
    public async Task With_parallel_one_two_environments_are_told_the_windows_the_engine_enforces()
    {
        var overridden = TimeSpan.FromMinutes(45);
        var stg = WaveWorld.Env("acme-stg", "acme", Tier.Staging);
        var prod = WaveWorld.Env("acme-prod", "acme", Tier.Production, windowBudget: overridden);
        var (w, wave, notices) = await WorldAsync([prod, stg]);
        await using var _ = w;
        var definition = w.Provider.GetRequiredService<DefinitionCatalog>().Latest("cutover");

        var rendered = notices.Render(wave);

        // Tier order: staging first, one definition budget long; production after it, for its own budget.
        var start = wave.PlannedStart;
        Assert.Equal(["acme-stg", "acme-prod"], rendered.Select(n => n.Environment.Id));
        Assert.Contains(Window(definition.WindowBudget, start, start + definition.WindowBudget), rendered[0].Body);
        Assert.Contains(Window(overridden, start, start + definition.WindowBudget + overridden), rendered[1].Body);
        Assert.NotEqual(rendered[0].Window.Closes, rendered[1].Window.Closes);

        // The budget told is the one the step frame rolls back at and the launcher measures downtime against.
        foreach (var notice in rendered)
        {
            var data = new CutoverData
            {
                Subject = CutoverSubject.From(notice.Environment),
                DefinitionId = definition.Id,
                DefinitionVersion = definition.Version,
            };
            Assert.Equal(
                notice.Window.Budget,
                new CutoverContext("i-1", data, definition, definition.Steps[0]).WindowBudget
            );
            Assert.Equal(
                notice.Window.Budget.TotalSeconds,
                (await LauncherReadAsync(w, data)).Downtime.WindowBudgetSeconds
            );
        }
    }

    /// <summary>The launcher's summary of a stored cutover with this data (nothing runs it).</summary>
    static async Task<CutoverSummary> LauncherReadAsync(WaveWorld w, CutoverData data)
    {
        var store = w.Provider.GetRequiredService<WorkflowCore.Interface.IPersistenceProvider>();
        var id = await store.CreateNewWorkflow(
            new WorkflowCore.Models.WorkflowInstance
            {
                WorkflowDefinitionId = data.DefinitionId,
                Version = data.DefinitionVersion,
                Data = data,
                Status = WorkflowCore.Models.WorkflowStatus.Complete,
                CreateTime = DateTime.UtcNow,
            }
        );
        var launcher = new CutoverLauncher(
            w.Provider.GetRequiredService<WorkflowCore.Interface.IWorkflowHost>(),
            store,
            w.Provider.GetRequiredService<DefinitionCatalog>()
        );
        return await launcher.ReadAsync(id);
    }

    [Fact]
    public async Task With_parallel_covering_the_wave_every_environment_is_told_one_budget_from_the_start()
    {
        var w = new WaveWorld();
        await using var _ = w;
        var wave = await w.Service.CreateAsync(
            "w2",
            ["acme-stg", "acme-prod"],
            WaveWorld.T0.AddDays(40),
            2,
            WaveOrder.Tier,
            "alice"
        );
        var budget = DefinitionBudget(w);

        var rendered = w.Provider.GetRequiredService<WaveNotices>().Render(wave);

        Assert.All(
            rendered,
            n => Assert.Contains(Window(budget, wave.PlannedStart, wave.PlannedStart + budget), n.Body)
        );
    }

    [Fact]
    public async Task A_wave_with_an_environment_without_contacts_is_refused_naming_it_with_nothing_written()
    {
        var (w, wave, notices) = await WorldAsync([
            WaveWorld.Env("acme-dev", "acme", Tier.Development),
            WaveWorld.Env("acme-stg", "acme", Tier.Staging, contacts: []),
        ]);
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false);
        var directory = Path.Combine(w.Directory, "notices");

        var e = await Assert.ThrowsAsync<NoContactsException>(() =>
            notices.NotifyAsync(wave, directory, relay.EndPoint, "alice")
        );

        Assert.Equal(["acme-stg"], e.EnvironmentIds);
        Assert.Contains("acme-stg (acme)", e.Message);
        Assert.False(Directory.Exists(directory));
        Assert.Empty(relay.Messages);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
        Assert.DoesNotContain("customer-notified", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task A_customer_and_contact_named_beyond_ascii_arrive_intact_through_a_seven_bit_relay()
    {
        const string customer = "Société Générale — Zürich";
        var contact = new NoticeContact("tresorerie@socgen-zurich.example", "Zoë Ångström");
        var (w, wave, notices) = await WorldAsync([
            WaveWorld.Env("sg-stg", customer, Tier.Staging, contacts: [contact]),
        ]);
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false);

        var outcome = Assert.Single(
            await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice")
        );

        Assert.Null(outcome.Error);
        var message = Assert.Single(relay.Messages);
        Assert.All(
            message.Data,
            b => Assert.True(b < 0x80, "the relay announced no 8BITMIME nor SMTPUTF8: every byte must be 7-bit")
        );
        var decoded = message.Decoded();
        var to = Assert.Single(decoded.To.Mailboxes);
        Assert.Equal((contact.DisplayName, contact.Address), (to.Name, to.Address));
        Assert.StartsWith(customer + ":", decoded.Subject);
        Assert.Contains($"Dear {customer},", decoded.TextBody);
        // The text and its calendar attachment.
        Assert.All(
            decoded.BodyParts.OfType<MimeKit.TextPart>(),
            p => Assert.Equal("utf-8", p.ContentType.Charset, ignoreCase: true)
        );
    }

    [Fact]
    public async Task A_relay_that_asks_for_auth_gets_the_configured_user()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false, login: ("notices", "s3cret"));
        var options = w.Provider.GetRequiredService<NoticeSmtpOptions>();
        (options.Username, options.Password) = ("notices", "s3cret");

        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(2, relay.Messages.Count);
        Assert.Contains("AUTH PLAIN", relay.Verbs);
    }

    [Fact]
    public async Task A_refused_login_records_nothing_and_names_the_user_but_never_the_password()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false, login: ("notices", "s3cret"));
        var options = w.Provider.GetRequiredService<NoticeSmtpOptions>();
        (options.Username, options.Password) = ("notices", "wrong-password");

        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.All(outcomes, o => Assert.Contains("user 'notices'", o.Error));
        Assert.All(outcomes, o => Assert.DoesNotContain("wrong-password", o.Error));
        Assert.Empty(relay.Messages);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
    }

    [Fact]
    public async Task A_relay_offering_starttls_is_asked_for_it_and_an_untrusted_certificate_sends_nothing()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false, offerTls: true);

        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.Contains("STARTTLS", relay.Verbs);
        Assert.DoesNotContain("MAIL", relay.Verbs);
        Assert.All(outcomes, o => Assert.Contains($"relay 127.0.0.1:{relay.Port}", o.Error));
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
    }

    [Fact]
    public async Task A_refusing_relay_records_nothing_and_reports_the_refusal()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: true);
        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains("554", o.Error));
        Assert.Empty(relay.Messages);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
        Assert.DoesNotContain("customer-notified", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task An_unreachable_relay_records_nothing_and_names_the_relay()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        var outcomes = await notices.NotifyAsync(
            wave,
            Path.Combine(w.Directory, "notices"),
            new DnsEndPoint("127.0.0.1", port),
            "alice"
        );
        Assert.All(outcomes, o => Assert.Contains($"127.0.0.1:{port}", o.Error));
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
    }

    [Theory]
    [InlineData("relay.example.net")]
    [InlineData("relay.example.net:0")]
    [InlineData(":25")]
    [InlineData("relay:smtp")]
    public void A_relay_that_is_not_host_and_port_is_refused_naming_the_setting(string text)
    {
        var e = Assert.Throws<FormatException>(() => WaveNotices.ParseRelay(text, "--smtp"));
        Assert.Contains("--smtp", e.Message);
        Assert.Contains(text, e.Message);
    }
}
