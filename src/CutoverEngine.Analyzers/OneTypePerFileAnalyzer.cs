using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CutoverEngine.Analyzers;

/// <summary>
/// CE0001: a file holds at most one top-level type with behaviour, so a newcomer finds a type by its file name.
/// Small data types (records, classes and structs made only of fields and auto-properties, enums, delegates) may sit
/// beside the type that owns them; <c>file</c>-local types are the file's own helpers and are not counted.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OneTypePerFileAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "CE0001";

    static readonly DiagnosticDescriptor Rule = new(
        Id,
        "One type with behaviour per file",
        "'{0}' has behaviour and shares its file with '{1}': move it to {0}.cs",
        "Style",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A file holds one top-level type with members beyond fields and auto-properties."
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
        var root = context.Tree.GetRoot(context.CancellationToken);
        var withBehaviour = TopLevelTypes(root).Where(HasBehaviour).ToList();
        // Parts of one partial type count once.
        var first = withBehaviour.FirstOrDefault();
        if (first is null)
            return;
        foreach (var other in withBehaviour.Skip(1))
        {
            if (other.Identifier.ValueText == first.Identifier.ValueText)
                continue;
            context.ReportDiagnostic(
                Diagnostic.Create(
                    Rule,
                    other.Identifier.GetLocation(),
                    other.Identifier.ValueText,
                    first.Identifier.ValueText
                )
            );
        }
    }

    static System.Collections.Generic.IEnumerable<TypeDeclarationSyntax> TopLevelTypes(SyntaxNode root) =>
        root.ChildNodes()
            .SelectMany(n => n is BaseNamespaceDeclarationSyntax ns ? ns.Members : Enumerable.Repeat(n, 1))
            .OfType<TypeDeclarationSyntax>()
            .Where(t => !t.Modifiers.Any(SyntaxKind.FileKeyword));

    /// <summary>Interfaces are contracts of their own; other types have behaviour when they hold code.</summary>
    static bool HasBehaviour(TypeDeclarationSyntax type) =>
        type is InterfaceDeclarationSyntax || type.Members.Any(IsCode);

    static bool IsCode(MemberDeclarationSyntax member) =>
        member switch
        {
            MethodDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => true,
            IndexerDeclarationSyntax or EventDeclarationSyntax or DestructorDeclarationSyntax => true,
            ConstructorDeclarationSyntax ctor => ctor.Body is not null || ctor.ExpressionBody is not null,
            PropertyDeclarationSyntax property => property.ExpressionBody is not null
                || (
                    property.AccessorList?.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null)
                    ?? false
                ),
            TypeDeclarationSyntax nested => HasBehaviour(nested),
            _ => false,
        };
}
