namespace CutoverEngine.Engine.Finalisation;

/// <summary>The verdicts as the CLI, the API and the report spell them.</summary>
public static class FinaliseNames
{
    public static string Of(FinaliseVerdict verdict) =>
        verdict switch
        {
            FinaliseVerdict.Finalised => "finalised",
            FinaliseVerdict.AlreadyFinalised => "already finalised",
            FinaliseVerdict.NotDue => "not due",
            FinaliseVerdict.Blocked => "blocked",
            _ => "nothing to finalise",
        };
}
