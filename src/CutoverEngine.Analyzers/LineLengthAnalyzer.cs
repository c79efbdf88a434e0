using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CutoverEngine.Analyzers;

/// <summary>
/// CE0002: no line longer than the <c>max_line_length</c> of .editorconfig (the width CSharpier wraps code at), so code
/// and comments read without horizontal scrolling in a review. A line that holds a string literal may run past it:
/// messages, SQL and markup stay whole so that what a user sees can be found with grep.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LineLengthAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "CE0002";

    /// <summary>The width when .editorconfig does not say.</summary>
    public const int DefaultMaxLineLength = 120;

    static readonly DiagnosticDescriptor Rule = new(
        Id,
        "Line too long",
        "Line is {0} characters long; the limit is {1} (.editorconfig max_line_length)",
        "Style",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true
    );

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxTreeAction(AnalyzeTree);
    }

    static void AnalyzeTree(SyntaxTreeAnalysisContext context)
    {
        var limit = DefaultMaxLineLength;
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Tree);
        if (
            options.TryGetValue("max_line_length", out var configured)
            && int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && parsed > 0
        )
            limit = parsed;

        var text = context.Tree.GetText(context.CancellationToken);
        var withText = LinesHoldingStrings(context.Tree.GetRoot(context.CancellationToken), text);
        foreach (var line in text.Lines)
        {
            var length = line.Span.Length;
            if (length <= limit || withText.Contains(line.LineNumber))
                continue;
            context.ReportDiagnostic(Diagnostic.Create(Rule, Location.Create(context.Tree, line.Span), length, limit));
        }
    }

    static HashSet<int> LinesHoldingStrings(SyntaxNode root, SourceText text)
    {
        var lines = new HashSet<int>();
        foreach (var node in root.DescendantNodes())
        {
            var isText =
                node is InterpolatedStringExpressionSyntax
                || node.IsKind(SyntaxKind.StringLiteralExpression)
                || node.IsKind(SyntaxKind.Utf8StringLiteralExpression);
            if (!isText)
                continue;
            var span = text.Lines.GetLinePositionSpan(node.Span);
            for (var line = span.Start.Line; line <= span.End.Line; line++)
                lines.Add(line);
        }
        return lines;
    }
}
