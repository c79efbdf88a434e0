namespace CutoverEngine.Agent.Configuration;

/// <summary>A configuration the agent refuses to start with; every problem names the file, line and key.</summary>
public sealed class AgentConfigException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
