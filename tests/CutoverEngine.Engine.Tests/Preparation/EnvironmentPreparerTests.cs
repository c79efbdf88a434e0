using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Tests.Waves;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Engine.Tests.Preparation;

public sealed class EnvironmentPreparerTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("prepare-").FullName;
    readonly RecordingRoute53 _zone = new();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    readonly PrepareStore _store;
    readonly TableSpfDns _spfDns = new();
    readonly CutoverEnvironment _env = WaveWorld.Env("acme-prod", "Acme", Tier.Production);

    public EnvironmentPreparerTests()
    {
        _store = new PrepareStore(Path.Combine(_directory, "cutover.db"));
        _zone.Sets.Add(ResourceRecordSet.A("mta.acme-prod.example.test", 3600, "192.0.2.1"));
        _zone.Sets.Add(
            new ResourceRecordSet(
                "example.test",
                "TXT",
                300,
                ["\"google-site-verification=abc\"", "\"v=spf1 ip4:192.0.2.0/24 -all\""]
            )
        );
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    EnvironmentPreparer Preparer(PrepareOptions? options = null) =>
        new(
            _zone,
            new DnsQueries(Options.Create(new VerificationOptions())),
            _store,
            options ?? new PrepareOptions(),
            Options.Create(new VerificationOptions()),
            _clock
        )
        {
            SpfDnsOf = _ => _spfDns,
        };

    ResourceRecordSet Live(string name, string type) =>
        _zone.Sets.Single(s => s.IsSameSetAs(new ResourceRecordSet(name, type, null, [])));

    [Fact]
    public async Task Lowering_writes_delete_of_the_old_and_create_of_the_new_and_remembers_the_original_ttl()
    {
        var lowered = await Preparer().LowerTtlsAsync(_env, default);

        Assert.Equal(60, Live("mta.acme-prod.example.test", "A").Ttl);
        var batch = Assert.Single(_zone.Batches);
        Assert.Equal([ChangeAction.Delete, ChangeAction.Create], batch.Changes.Select(c => c.Action));
        Assert.Equal(3600, batch.Changes[0].RecordSet.Ttl);
        Assert.Equal(new TtlLowering("mta.acme-prod.example.test", "A", 3600, 60, true), Assert.Single(lowered));
        var memory = Assert.Single(await _store.TtlsAsync(_env.Id));
        Assert.Equal((3600L, _clock.GetUtcNow()), (memory.OriginalTtl, memory.LoweredAt!.Value));
    }

    [Fact]
    public async Task A_replay_writes_nothing_and_keeps_the_original_ttl_and_instant()
    {
        await Preparer().LowerTtlsAsync(_env, default);
        var first = (await _store.TtlsAsync(_env.Id)).Single();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var again = await Preparer().LowerTtlsAsync(_env, default);

        Assert.Single(_zone.Batches);
        Assert.False(Assert.Single(again).Written);
        Assert.Equal(3600, Assert.Single(again).OriginalTtl);
        Assert.Equal(first, (await _store.TtlsAsync(_env.Id)).Single());
    }

    [Fact]
    public async Task The_spf_record_gains_the_new_address_once_and_keeps_the_other_txt_values()
    {
        var spf = await Preparer().AuthoriseSpfAsync(_env, default);
        var replay = await Preparer().AuthoriseSpfAsync(_env, default);

        Assert.Null(spf.Refused);
        Assert.Equal(["ip4:198.51.100.1"], spf.Added);
        var txt = Live("example.test", "TXT");
        Assert.Contains("\"google-site-verification=abc\"", txt.Values);
        Assert.Contains("\"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.1 -all\"", txt.Values);
        Assert.Single(_zone.Batches);
        Assert.Empty(replay.Added);
        var added = Assert.Single(await _store.SpfAsync(_env.Id));
        Assert.Equal(("ip4:198.51.100.1", "v=spf1 ip4:192.0.2.0/24 -all"), (added.Mechanism, added.OriginalRecord));
    }

    [Fact]
    public async Task A_record_that_cannot_fit_is_refused_and_nothing_is_written()
    {
        var spf = await Preparer(new PrepareOptions { SpfMaxLength = 30 }).AuthoriseSpfAsync(_env, default);

        Assert.NotNull(spf.Refused);
        Assert.Contains("at most 30", spf.Refused);
        Assert.Empty(_zone.Batches);
        Assert.Empty(await _store.SpfAsync(_env.Id));
        Assert.Contains("\"v=spf1 ip4:192.0.2.0/24 -all\"", Live("example.test", "TXT").Values);
    }

    [Fact]
    public async Task A_record_changed_between_read_and_write_is_not_overwritten()
    {
        _zone.BeforeSubmit = () =>
        {
            var txt = Live("example.test", "TXT");
            _zone.Sets.Remove(txt);
            _zone.Sets.Add(txt with { Values = ["\"v=spf1 ip4:203.0.113.0/24 -all\""] });
            _zone.BeforeSubmit = null;
        };

        await Assert.ThrowsAsync<PrepareConflictException>(() => Preparer().AuthoriseSpfAsync(_env, default));
        Assert.Equal(["\"v=spf1 ip4:203.0.113.0/24 -all\""], Live("example.test", "TXT").Values);
    }
}
