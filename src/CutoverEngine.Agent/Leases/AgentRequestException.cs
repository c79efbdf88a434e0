namespace CutoverEngine.Agent.Leases;

/// <summary>A refused call: HTTP status, an error code, and a message naming the problem. Nothing was changed on a
/// 4xx.</summary>
public sealed class AgentRequestException(int status, string error, string message, string? field = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    public string? Field { get; } = field;
}
