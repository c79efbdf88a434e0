using System.CommandLine;
using System.Globalization;
using System.Text;
using CutoverEngine.Cli;

namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>README's CLI reference is the commands' own help (names, arguments, options, defaults, descriptions),
/// so the two cannot drift: a new option or a changed default fails here until README says it.</summary>
public sealed class CliReferenceTests
{
    const string Begin = "<!-- cli-reference: generated from the commands' help; CliReferenceTests checks it -->";
    const string End = "<!-- /cli-reference -->";

    [Fact]
    public void Readme_documents_every_command_and_option_as_its_help_states_it()
    {
        var expected = Reference(CutoverCommand.Root());
        var readme = File.ReadAllText(Path.Combine(CutoverProcess.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        var written = Path.Combine(AppContext.BaseDirectory, "cli-reference.md");
        File.WriteAllText(written, expected);
        Assert.True(start >= 0 && end > start, $"README has no {Begin} ... {End} block; the expected one: {written}");
        var actual = readme[(start + Begin.Length)..end].Trim('\n');
        Assert.True(
            actual == expected.Trim('\n'),
            $"README's CLI reference differs from the help; the current: {written}"
        );
    }

    static string Reference(RootCommand root)
    {
        var b = new StringBuilder();
        b.AppendLine();
        b.AppendLine(
            CultureInfo.InvariantCulture,
            $"Every command also takes `--verbose` ({Cell(CutoverCommand.Verbose.Description)}) and `--help`."
        );
        foreach (var command in root.Subcommands)
            Describe(b, command, "cutover");
        return b.ToString();
    }

    static void Describe(StringBuilder b, Command command, string parent)
    {
        if (command.Hidden)
            return;
        var path = $"{parent} {command.Name}";
        var usage = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
        b.AppendLine();
        b.AppendLine(CultureInfo.InvariantCulture, $"`{path}{usage}`: {Cell(command.Description)}");
        var options = command.Options.Where(o => !o.Hidden && o.Name is not ("--help" or "--verbose")).ToList();
        if (options.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("| option | default | meaning |");
            b.AppendLine("| --- | --- | --- |");
            foreach (var o in options)
                b.AppendLine(CultureInfo.InvariantCulture, $"| `{o.Name}` | {Default(o)} | {Cell(o.Description)} |");
        }
        foreach (var sub in command.Subcommands)
            Describe(b, sub, path);
    }

    static string Default(Option o)
    {
        if (o.Required)
            return "required";
        if (!o.HasDefaultValue || o.ValueType == typeof(bool))
            return "";
        var value = o.GetDefaultValue();
        return value is null ? "" : $"`{Convert.ToString(value, CultureInfo.InvariantCulture)}`";
    }

    static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal);
}
