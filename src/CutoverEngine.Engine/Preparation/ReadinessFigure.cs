namespace CutoverEngine.Engine.Preparation;

/// <summary>One readiness check as journaled: what was checked, on what, whether it passed, and the figures
/// seen.</summary>
public sealed record ReadinessFigure(string Check, string Subject, bool Passed, string Observed);
