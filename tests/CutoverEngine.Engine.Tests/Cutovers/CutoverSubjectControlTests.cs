using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Sending.SendingControl;
using Newtonsoft.Json;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>The subject carries an agent's token source and CA as a typed field beside a plain control URL, and
/// both survive the workflow's persistence (a restarted engine calls the agent with the same credentials).</summary>
public sealed class CutoverSubjectControlTests
{
    // The conventions of the engine's workflow persistence (PersistenceJson).
    static readonly JsonSerializerSettings Persistence = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        TypeNameAssemblyFormatHandling = TypeNameAssemblyFormatHandling.Simple,
        DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
    };

    [Fact]
    public void The_agent_credentials_come_back_from_persistence_as_the_same_record_and_the_url_stays_bare()
    {
        var data = new CutoverData
        {
            Subject = new CutoverSubject
            {
                EnvironmentId = "acme-prod",
                SendingControl = "https://agent.acme.example:8443/v1/environments/acme-prod",
                SendingControlAuth = new SendingControlCredentials("ACME_AGENT_TOKEN", null, "/etc/cutover/acme.crt"),
            },
        };

        var json = JsonConvert.SerializeObject(data, Persistence);
        var back = (CutoverData)JsonConvert.DeserializeObject(json, Persistence)!;

        var address = back.Subject.ToControlAddress();
        Assert.Equal(new Uri("https://agent.acme.example:8443/v1/environments/acme-prod"), address.Url);
        Assert.Equal("", address.Url.Fragment);
        Assert.Equal(
            new SendingControlCredentials("ACME_AGENT_TOKEN", null, "/etc/cutover/acme.crt"),
            address.Credentials
        );
    }

    [Fact]
    public void A_sandbox_subject_without_credentials_calls_the_bare_url()
    {
        var subject = new CutoverSubject { SendingControl = "http://127.0.0.1:8601/environments/acme-stg" };
        Assert.Equal(
            new SendingControlAddress(new Uri("http://127.0.0.1:8601/environments/acme-stg")),
            subject.ToControlAddress()
        );
    }
}
