using System.Buffers.Binary;
using CutoverEngine.Sandbox.World;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// Answers one DNS query from the world as its authoritative name servers would now: what is INSYNC is visible,
/// nothing is cached. Transport-free (bytes in, bytes out) so the UDP and TCP loops share it; it never throws.
/// </summary>
public sealed class DnsQueryAnswerer(
    SandboxWorld world,
    DnsResponderOptions options,
    DnsResponderStatistics statistics,
    ILogger<DnsQueryAnswerer>? log = null
)
{
    /// <summary>Largest DNS message at all (TCP's 2-octet length prefix).</summary>
    public const int MaxTcpMessageSize = 65535;

    /// <summary>Largest UDP response to a query without EDNS (RFC 1035 4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    readonly ILogger _log = log ?? NullLogger<DnsQueryAnswerer>.Instance;

    readonly SandboxWorld _world = world;
    readonly DnsResponderOptions _options = options;
    readonly DnsResponderStatistics _statistics = statistics;

    /// <summary>
    /// The response to <paramref name="query"/>, or null when nothing must be sent back (shorter than a header,
    /// or itself a response: answering those would let two servers bounce messages forever).
    /// </summary>
    public byte[]? Answer(ReadOnlySpan<byte> query, bool overTcp)
    {
        _statistics.CountQuery();
        if (query.Length < DnsMessage.HeaderLength || (query[2] & 0x80) != 0)
        {
            _statistics.CountDropped();
            return null;
        }
        DnsMessage request;
        try
        {
            request = DnsMessage.Parse(query);
        }
        catch (DnsFormatException ex)
        {
            _log.LogDebug("DNS: malformed query: {Problem}", ex.Message);
            _statistics.CountFormatError();
            var flags = BinaryPrimitives.ReadUInt16BigEndian(query[2..]);
            return new DnsMessage
            {
                Id = BinaryPrimitives.ReadUInt16BigEndian(query),
                IsResponse = true,
                Opcode = (byte)((flags >> 11) & 0xF),
                RecursionDesired = (flags & 0x0100) != 0,
                ResponseCode = DnsResponseCode.FormatError,
            }.Encode();
        }

        var response = new DnsMessage
        {
            Id = request.Id,
            IsResponse = true,
            Opcode = request.Opcode,
            RecursionDesired = request.RecursionDesired,
            CheckingDisabled = request.CheckingDisabled,
            // RFC 6891 7: answer EDNS with EDNS; RFC 3225 3: copy the DO bit.
            Edns = request.Edns is null
                ? null
                : new DnsEdns((ushort)_options.MaxUdpPayloadSize, 0, request.Edns.DnssecOk),
        };
        if (request.Questions.Count == 1)
            response.Questions.Add(request.Questions[0]);
        response.ResponseCode = Check(request);
        if (response.ResponseCode == DnsResponseCode.FormatError)
            _statistics.CountFormatError();
        if (response.ResponseCode == DnsResponseCode.NoError)
        {
            try
            {
                Resolve(request.Questions[0], response);
            }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "DNS: cannot answer {Question}", request.Questions[0]);
                _statistics.CountServerFailure();
                response.Answers.Clear();
                response.Authorities.Clear();
                response.IsAuthoritative = false;
                response.ResponseCode = DnsResponseCode.ServerFailure;
            }
        }
        var limit =
            overTcp ? MaxTcpMessageSize
            : request.Edns is null ? ClassicUdpSize
            : Math.Clamp((int)request.Edns.UdpPayloadSize, ClassicUdpSize, _options.MaxUdpPayloadSize);
        return EncodeWithin(response, limit);
    }

    /// <summary>What the query itself earns before any lookup: NOERROR to go on, else the error to answer
    /// with.</summary>
    static DnsResponseCode Check(DnsMessage request)
    {
        if (request.Opcode != DnsOpcode.Query)
            return DnsResponseCode.NotImplemented;
        if (request.Questions.Count != 1 || request.Answers.Count > 0 || request.Authorities.Count > 0)
            return DnsResponseCode.FormatError;
        if (request.Edns is { Version: > 0 })
            return DnsResponseCode.BadVersion;
        var q = request.Questions[0];
        return q.Type switch
        {
            DnsRecordType.OPT => DnsResponseCode.FormatError,
            _ when q.Class != DnsClass.IN => DnsResponseCode.Refused,
            DnsRecordType.AXFR or DnsRecordType.IXFR => DnsResponseCode.Refused, // zone transfers are not offered
            DnsRecordType.MAILA or DnsRecordType.MAILB => DnsResponseCode.NotImplemented,
            _ => DnsResponseCode.NoError,
        };
    }

    void Resolve(DnsQuestion question, DnsMessage response)
    {
        var typeName = DnsRecordType.ToMnemonic(question.Type);
        var asked = DnsName.Normalize(question.Name);
        DnsAnswer answer;
        DnsOutcome negative;
        RecordSet? soa = null;
        // One hold of the gate (re-entrant) so the answer and its SOA come from the same instant of the world.
        lock (_world.Gate)
        {
            answer =
                question.Type == DnsRecordType.ANY ? ResolveAny(asked) : _world.ResolveAuthoritative(asked, typeName);
            negative = answer.Outcome;
            if (
                answer is { Outcome: DnsOutcome.Answer, Zone: { } zone, Records: [.., { Type: "CNAME" } last] }
                && question.Type is not (DnsRecordType.CNAME or DnsRecordType.ANY)
                && last.Values.Length > 0
                && DnsName.IsInside(last.Values[0], zone.Name)
            )
            {
                // The chain ends inside the zone without the asked type: the end's name decides NXDOMAIN or NODATA (RFC
                // 6604).
                var end = _world.ResolveAuthoritative(last.Values[0], typeName);
                if (end.Outcome is DnsOutcome.NameError or DnsOutcome.NoData)
                    negative = end.Outcome;
            }
            if (negative is DnsOutcome.NoData or DnsOutcome.NameError && answer.Zone is { } z)
                z.PublishedAt(_world.Now).TryGetValue(new RecordKey(z.Name, "SOA"), out soa);
        }

        if (answer.Outcome == DnsOutcome.Refused)
        {
            response.ResponseCode = DnsResponseCode.Refused;
            return;
        }
        response.IsAuthoritative = true;
        foreach (var set in answer.Records)
        {
            // The owner the client asked about is echoed in its own spelling (and compresses onto the question).
            var owner = set.Name == asked ? question.Name : set.Name;
            foreach (var rr in ToResourceRecords(set, owner, set.Ttl))
                response.Answers.Add(rr);
        }
        if (negative is DnsOutcome.NoData or DnsOutcome.NameError)
        {
            response.ResponseCode =
                negative == DnsOutcome.NameError ? DnsResponseCode.NameError : DnsResponseCode.NoError;
            if (soa is not null)
            {
                // RFC 2308 3: negative answers are cached for the lesser of the SOA's TTL and its MINIMUM field.
                var soaRecord = ToResourceRecords(soa, soa.Name, soa.Ttl).First();
                var minimum = ((DnsSoaData)soaRecord.Data).Minimum;
                response.Authorities.Add(soaRecord with { Ttl = Math.Min(soaRecord.Ttl, minimum) });
            }
        }
    }

    /// <summary>ANY (RFC 8482 permits less, the sandbox gives all): every record set at the name, no CNAME
    /// chasing.</summary>
    DnsAnswer ResolveAny(string name)
    {
        var zone = _world.ZoneFor(name);
        if (zone is null)
            return _world.ResolveAuthoritative(name, "PTR"); // the reverse-DNS fallback, or REFUSED
        var published = zone.PublishedAt(_world.Now);
        var sets = published.Where(p => p.Key.Name == name).Select(p => p.Value).ToList();
        if (sets.Count > 0)
            return new DnsAnswer(DnsOutcome.Answer, zone, sets);
        var exists = published.Keys.Any(k => k.Name.EndsWith("." + name, StringComparison.Ordinal));
        return new DnsAnswer(exists ? DnsOutcome.NoData : DnsOutcome.NameError, zone, []);
    }

    static IEnumerable<DnsResourceRecord> ToResourceRecords(RecordSet set, string owner, long ttl)
    {
        if (!DnsRecordType.TryParse(set.Type, out var type))
            throw new DnsFormatException($"record set {set.Name} has type '{set.Type}', which has no DNS type number");
        // RFC 2181 8: TTLs are 31-bit.
        var wireTtl = (uint)Math.Clamp(ttl, 0, int.MaxValue);
        return set
            .Values.Select(v => new DnsResourceRecord(
                owner,
                type,
                DnsClass.IN,
                wireTtl,
                Route53RecordText.Parse(set.Type, v)
            ))
            .ToList();
    }

    /// <summary>
    /// Encodes the response; if it exceeds <paramref name="limit"/>, sends the question alone with TC set so the
    /// client retries over TCP (whole RRsets or nothing, RFC 2181 9).
    /// </summary>
    static byte[] EncodeWithin(DnsMessage response, int limit)
    {
        var wire = response.Encode();
        if (wire.Length <= limit)
            return wire;
        response.Answers.Clear();
        response.Authorities.Clear();
        response.Additionals.Clear();
        response.IsTruncated = true;
        return response.Encode();
    }
}
