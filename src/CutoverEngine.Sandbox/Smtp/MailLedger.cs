using System.Net;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>
/// What the simulated MTAs received: per host and per destination address, how many messages were accepted and
/// which Message-IDs they carried. A message id accepted a second time anywhere (same host or another) is a
/// duplicate: the proof that a cutover neither lost nor doubled mail is read from here and from the senders'
/// counters. Thread-safe; every session of every listener records here.
/// </summary>
public sealed class MailLedger
{
    readonly object _gate = new();
    readonly Dictionary<string, Journal> _byHost = new(StringComparer.Ordinal);
    readonly Dictionary<IPAddress, Journal> _byAddress = [];
    readonly Dictionary<string, int> _timesSeen = new(StringComparer.Ordinal);
    long _accepted;
    long _duplicates;
    long _withoutMessageId;

    /// <summary>Messages accepted by all hosts together.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Acceptances of a Message-ID that had already been accepted (on any host).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Accepted messages that carried no Message-ID header (counted, but not checked for
    /// duplicates).</summary>
    public long WithoutMessageId => Interlocked.Read(ref _withoutMessageId);

    /// <summary>Records one accepted message; returns true when its Message-ID had been accepted before.</summary>
    public bool Record(
        string hostId,
        IPAddress address,
        string? messageId,
        string queueId,
        long octets,
        DateTimeOffset at
    )
    {
        lock (_gate)
        {
            _accepted++;
            var duplicate = false;
            if (messageId is null)
                _withoutMessageId++;
            else
            {
                _timesSeen.TryGetValue(messageId, out var seen);
                _timesSeen[messageId] = seen + 1;
                if (seen > 0)
                {
                    duplicate = true;
                    _duplicates++;
                }
            }
            var receipt = new MailReceipt(messageId, queueId, hostId, address, octets, at, duplicate);
            Get(_byHost, hostId).Add(receipt);
            Get(_byAddress, address).Add(receipt);
            return duplicate;
        }
    }

    /// <summary>What <paramref name="hostId"/> accepted (empty when it accepted nothing).</summary>
    public MailJournal ForHost(string hostId)
    {
        lock (_gate)
            return _byHost.TryGetValue(hostId, out var j) ? j.Snapshot(hostId) : MailJournal.Empty(hostId);
    }

    /// <summary>What was accepted on <paramref name="address"/>, by whichever host answered there at the
    /// time.</summary>
    public MailJournal ForAddress(IPAddress address)
    {
        lock (_gate)
            return _byAddress.TryGetValue(address, out var j)
                ? j.Snapshot(address.ToString())
                : MailJournal.Empty(address.ToString());
    }

    /// <summary>Every host that accepted something, by host id.</summary>
    public IReadOnlyDictionary<string, MailJournal> Hosts()
    {
        lock (_gate)
            return _byHost.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(kv.Key), StringComparer.Ordinal);
    }

    /// <summary>How many times <paramref name="messageId"/> was accepted, over all hosts (0, 1, or more for a
    /// duplicate).</summary>
    public int TimesAccepted(string messageId)
    {
        lock (_gate)
            return _timesSeen.TryGetValue(messageId, out var n) ? n : 0;
    }

    /// <summary>Message-IDs accepted more than once, with how many times.</summary>
    public IReadOnlyDictionary<string, int> DuplicatedMessageIds()
    {
        lock (_gate)
            return _timesSeen
                .Where(kv => kv.Value > 1)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    static Journal Get<TKey>(Dictionary<TKey, Journal> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var j))
            map[key] = j = new Journal();
        return j;
    }

    sealed class Journal
    {
        readonly List<MailReceipt> _receipts = [];
        readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        long _duplicates;

        public void Add(MailReceipt r)
        {
            _receipts.Add(r);
            if (r.MessageId is not null && !_ids.Add(r.MessageId))
                _duplicates++;
        }

        public MailJournal Snapshot(string key) => new(key, _receipts.Count, _duplicates, [.. _ids], [.. _receipts]);
    }
}

/// <summary>
/// One accepted message: its Message-ID (null when it had none), the MTA's queue id, who took it where and when, and
/// its
/// size in octets as stored (after dot-unstuffing, CRLF line ends, without the terminating dot line).
/// </summary>
public sealed record MailReceipt(
    string? MessageId,
    string QueueId,
    string HostId,
    IPAddress Address,
    long Octets,
    DateTimeOffset AcceptedAt,
    bool Duplicate
);
