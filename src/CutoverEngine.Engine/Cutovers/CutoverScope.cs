using System.Diagnostics;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using Polly.Timeout;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>The cutover a piece of work belongs to, for records written far from the step (AWS attempts).</summary>
public static class CutoverScope
{
    static readonly AsyncLocal<CutoverContext?> Current = new();

    public static CutoverContext? Active => Current.Value;

    public static IDisposable Enter(CutoverContext run)
    {
        var previous = Current.Value;
        Current.Value = run;
        return new Restore(previous);
    }

    sealed class Restore(CutoverContext? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
