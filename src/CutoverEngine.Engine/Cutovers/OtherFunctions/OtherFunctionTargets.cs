namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>What a function's probe reaches, as people write it: the URL, or host:port.</summary>
public static class OtherFunctionTargets
{
    public static string Of(SubjectOtherFunction function) => function.Url ?? $"{function.TcpHost}:{function.TcpPort}";
}
