using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Sts;

/// <summary>
/// AWS STS over the Query protocol (API version 2011-06-15): AssumeRole hands out temporary keys for a role the
/// topology declares, to the callers its trust list names; GetCallerIdentity says whose keys signed the call. Both in
/// the XML shapes of the service, so the AWS CLI and AWSSDK.SecurityToken work against it unchanged.
/// </summary>
public sealed partial class StsService : IAwsService
{
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>AWS's bounds on DurationSeconds for AssumeRole, and its default.</summary>
    public const int MinDurationSeconds = 900,
        MaxDurationSeconds = 43_200,
        DefaultDurationSeconds = 3_600;

    static readonly HashSet<string> Operations = new(StringComparer.Ordinal) { "AssumeRole", "GetCallerIdentity" };

    public string SigningName => "sts";

    public bool Claims(HttpRequest request) => Operations.Contains(request.Query["Action"].ToString());

    public string? OperationOf(AwsCall call) =>
        call.Parameters.GetValueOrDefault("Action") is { } action && Operations.Contains(action) ? action : null;

    // STS has quotas of its own (far above what the engine needs); the sandbox does not model them.
    public TokenBucket? QuotaFor(AwsCall call, string operation) => null;

    /// <summary>STS errors: ErrorResponse > Error > (Type, Code, Message), RequestId, in the service's
    /// namespace.</summary>
    public Task WriteErrorAsync(AwsCall call, int status, string code, string message) =>
        AwsErrors.WriteXml(
            call.Http,
            status,
            new XElement(
                Ns + "ErrorResponse",
                new XElement(
                    Ns + "Error",
                    new XElement(Ns + "Type", status >= 500 ? "Receiver" : "Sender"),
                    new XElement(Ns + "Code", code),
                    new XElement(Ns + "Message", message)
                ),
                new XElement(Ns + "RequestId", call.RequestId)
            )
        );

    public Task HandleAsync(AwsCall call, string operation)
    {
        var principal =
            call.Principal ?? throw new InvalidOperationException("The edge hands STS only authenticated calls.");
        return operation switch
        {
            "GetCallerIdentity" => Respond(
                call,
                operation,
                new XElement(Ns + "Arn", principal.Arn),
                new XElement(Ns + "UserId", principal.UserId),
                new XElement(Ns + "Account", principal.Account.Id)
            ),
            _ => AssumeRole(call, principal),
        };
    }

    Task AssumeRole(AwsCall call, SandboxPrincipal caller)
    {
        var p = call.Parameters;
        var roleArn = p.GetValueOrDefault("RoleArn");
        var sessionName = p.GetValueOrDefault("RoleSessionName");
        if (string.IsNullOrEmpty(roleArn))
            return Invalid(call, "Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        if (string.IsNullOrEmpty(sessionName))
            return Invalid(
                call,
                "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"
            );
        if (!SessionName().IsMatch(sessionName))
            return Invalid(
                call,
                $"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: "
                    + @"Member must satisfy regular expression pattern: [\w+=,.@-]{2,64}"
            );
        var duration = DefaultDurationSeconds;
        if (
            p.GetValueOrDefault("DurationSeconds") is { Length: > 0 } raw
            && (
                !int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out duration)
                || duration is < MinDurationSeconds or > MaxDurationSeconds
            )
        )
            return Invalid(
                call,
                $"Value '{raw}' at 'durationSeconds' failed to satisfy constraint: "
                    + $"Member must have value between {MinDurationSeconds} and {MaxDurationSeconds}"
            );

        // AWS does not say which of these went wrong (no such role, not trusted, wrong external id): neither does the
        // sandbox.
        var role = call.World.FindRole(roleArn);
        var trusted =
            role is not null
            && (
                role.TrustedAccessKeys.Contains(caller.AccessKeyId)
                || (caller.Role is { } chained && role.TrustedAccessKeys.Contains(chained.Arn))
            );
        var externalIdMatches = role?.ExternalId is not { } expected || expected == p.GetValueOrDefault("ExternalId");
        if (role is null || !trusted || !externalIdMatches)
            return WriteErrorAsync(
                call,
                403,
                "AccessDenied",
                $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}"
            );

        var now = call.World.Now;
        var session = call.World.Credentials.Issue(
            role,
            sessionName,
            caller.Arn,
            now,
            call.World.CredentialTtl ?? TimeSpan.FromSeconds(duration)
        );
        return Respond(
            call,
            "AssumeRole",
            new XElement(
                Ns + "Credentials",
                new XElement(Ns + "AccessKeyId", session.AccessKeyId),
                new XElement(Ns + "SecretAccessKey", session.SecretAccessKey),
                new XElement(Ns + "SessionToken", session.SessionToken),
                new XElement(
                    Ns + "Expiration",
                    session.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                )
            ),
            new XElement(
                Ns + "AssumedRoleUser",
                new XElement(Ns + "AssumedRoleId", session.AssumedRoleId),
                new XElement(Ns + "Arn", session.AssumedRoleArn)
            )
        );
    }

    Task Invalid(AwsCall call, string problem) =>
        WriteErrorAsync(call, 400, "ValidationError", "1 validation error detected: " + problem);

    static Task Respond(AwsCall call, string operation, params XElement[] result) =>
        AwsErrors.WriteXml(
            call.Http,
            200,
            new XElement(
                Ns + (operation + "Response"),
                new XElement(Ns + (operation + "Result"), result),
                new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", call.RequestId))
            )
        );

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionName();
}
